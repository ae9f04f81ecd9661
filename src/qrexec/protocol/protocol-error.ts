/** qrexec protocol results: refusals and errors as values with codes, never exceptions for what a peer sends. */
import { err, ok, type Result } from '../../result/result.js';

/**
 * What ends a link (qrexec-daemon and qrexec-agent log these and drop the connection, or exit), and what
 * the encoder refuses to produce. Declared once: docs and tests read this table.
 */
export const PROTOCOL_ERRORS = {
  TRUNCATED: 'the stream ended inside a message (header or payload)',
  BAD_LENGTH: 'the header\'s length is not one this message type may have',
  TOO_BIG: 'the payload is over its limit (data chunk, service name, command line)',
  UNKNOWN_TYPE: 'the message type is not accepted on this kind of link',
  WRONG_VERSION: 'the message type does not belong to the negotiated protocol version',
  BAD_HELLO: 'the first message is not a well-formed MSG_HELLO, or it came out of turn',
  VERSION_TOO_OLD: 'the versions agree on one below the minimum',
  BAD_PORT: 'MSG_CONNECTION_TERMINATED names a port outside the data ports',
  WRONG_DIRECTION: 'a data message going the wrong way (stdin to the caller, stdout/stderr/exit code to the service)',
  AFTER_EXIT: 'something arrived after the exit code, which ends the call (or was to be sent after it)',
  AFTER_EOF: 'data to be sent on a stream this side already ended',
  FAILED: 'the link already failed; nothing more is decoded',
  BAD_FIELD: 'a field cannot be encoded (too long, a NUL inside, a character above 0xFF, a number out of range)',
} as const;
export type ProtocolErrorCode = keyof typeof PROTOCOL_ERRORS;

/** Why qrexec-daemon answers a service request with MSG_SERVICE_REFUSED (the link stays up). */
export const REFUSALS = {
  BAD_IDENT: 'the request ident has a byte outside [A-Za-z0-9_.- ], no NUL, or non-NUL bytes after it',
  BAD_SERVICE_NAME: 'the service name is empty, starts with "+", is not NUL-terminated or has a NUL inside',
} as const;
export type RefusalCode = keyof typeof REFUSALS;

export interface ProtocolError {
  readonly code: ProtocolErrorCode;
  readonly detail: string;
  /** The message type concerned, when there is one. */
  readonly msgType?: number;
}

export type ProtocolResult<T> = Result<T, ProtocolError>;

export const protocolOk = <T>(value: T): ProtocolResult<T> => ok(value);
export function protocolError(code: ProtocolErrorCode, detail: string, msgType?: number): ProtocolError {
  return msgType === undefined ? { code, detail } : { code, detail, msgType };
}
export const protocolErr = <T = never>(code: ProtocolErrorCode, detail: string, msgType?: number): ProtocolResult<T> =>
  err(protocolError(code, detail, msgType));
