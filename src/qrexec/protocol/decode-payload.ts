/** A whole payload into a message, as the receiving qrexec program reads it: sanitised names, refusals for bad requests. */
import { readCString } from './c-string.js';
import type { ChannelKind } from './channel-kind.js';
import { EXEC_PARAMS_SIZE, readExecParams } from './exec-params.js';
import { readU32 } from './msg-header.js';
import { MSG } from './msg-type.js';
import { protocolError, type ProtocolError, type RefusalCode } from './protocol-error.js';
import { MAX_FDS, VCHAN_BASE_DATA_PORT } from './qrexec-constants.js';
import type { QrexecMessage } from './qrexec-message.js';
import {
  SERVICE_NAME_EXTRA, TARGET_NAME_EXTRA, leadingProblem, requestIdProblem, sanitizeNameBytes, serviceNameProblem,
} from './qrexec-names.js';
import { SERVICE_PARAMS_SIZE } from './service-params.js';
import { TRIGGER_SERVICE_PARAMS as T2, TRIGGER_SERVICE_PARAMS3 as T3, TRIGGER_SERVICE_PARAMS4 as T4 } from './trigger-service-params.js';

/** A request the daemon answers with MSG_SERVICE_REFUSED carrying the 32 ident bytes it received; the link stays. */
export interface Refusal { readonly code: RefusalCode; readonly detail: string; readonly ident: Uint8Array; readonly msgType: number }

export type PayloadOutcome =
  | { readonly kind: 'message'; readonly msg: QrexecMessage }
  | { readonly kind: 'refused'; readonly refusal: Refusal }
  | { readonly kind: 'error'; readonly error: ProtocolError };

const message = (msg: QrexecMessage): PayloadOutcome => ({ kind: 'message', msg });

/** Decodes a payload whose header passed headerProblem. `p` is the receiver's own copy (it is sanitised in place). */
export function decodePayload(kind: ChannelKind, type: number, p: Uint8Array): PayloadOutcome {
  switch (type) {
    case MSG.HELLO: return message({ type, version: readU32(p, 0) });
    case MSG.DATA_STDIN: case MSG.DATA_STDOUT: case MSG.DATA_STDERR: return message({ type, data: p });
    // qrexec takes a status shorter than 4 bytes as 255, a longer one by its first 4 bytes.
    case MSG.DATA_EXIT_CODE: return message({ type, status: p.length < 4 ? 255 : readU32(p, 0) | 0 });
    case MSG.EXEC_CMDLINE: case MSG.JUST_EXEC: {
      const { connectDomain, connectPort } = readExecParams(p);
      return message({ type, connectDomain, connectPort, cmdline: commandField(kind, p) });
    }
    case MSG.SERVICE_CONNECT: {
      const { connectDomain, connectPort } = readExecParams(p);
      return message({ type, connectDomain, connectPort, ident: commandField(kind, p) });
    }
    case MSG.SERVICE_REFUSED: return message({ type, ident: readCString(p, 0, SERVICE_PARAMS_SIZE - 1) });
    case MSG.CONNECTION_TERMINATED: {
      const { connectDomain, connectPort } = readExecParams(p);
      if (connectPort < VCHAN_BASE_DATA_PORT || connectPort >= VCHAN_BASE_DATA_PORT + MAX_FDS) {
        return { kind: 'error', error: protocolError('BAD_PORT', `port ${connectPort} in MSG_CONNECTION_TERMINATED`, type) };
      }
      return message({ type, connectDomain, connectPort });
    }
    case MSG.TRIGGER_SERVICE: return triggerV2(p);
    case MSG.TRIGGER_SERVICE3: return triggerV3V4(p, type, T3.SERVICE_NAME, T3.REQUEST_ID, [T3.TARGET_DOMAIN, T3.TARGET_DOMAIN_SIZE], null);
    case MSG.TRIGGER_SERVICE4:
      return triggerV3V4(p, type, T4.SERVICE_NAME, T4.REQUEST_ID, [T4.TARGET_DOMAIN, T4.TARGET_DOMAIN_SIZE], [T4.SOURCE_DOMAIN, T4.SOURCE_DOMAIN_SIZE]);
    default: return { kind: 'error', error: protocolError('UNKNOWN_TYPE', `no payload rule for type ${type}`, type) };
  }
}

/** The command field after exec_params: the agent forces its last byte to NUL and reads up to the first NUL. */
function commandField(kind: ChannelKind, p: Uint8Array): string | null {
  return kind === 'daemon-to-client' ? null : readCString(p, EXEC_PARAMS_SIZE, p.length - EXEC_PARAMS_SIZE - 1);
}

/** A fixed char field forced to end in NUL (ENSURE_NULL_TERMINATED) and sanitised in place. */
function sanitisedField(p: Uint8Array, at: number, size: number, extra: string): string {
  p[at + size - 1] = 0;
  sanitizeNameBytes(p.subarray(at, at + size), extra);
  return readCString(p, at, size);
}

function refused(code: RefusalCode, detail: string, p: Uint8Array, identAt: number, msgType: number): PayloadOutcome {
  return { kind: 'refused', refusal: { code, detail, ident: p.slice(identAt, identAt + SERVICE_PARAMS_SIZE), msgType } };
}

function triggerV2(p: Uint8Array): PayloadOutcome {
  const type = MSG.TRIGGER_SERVICE;
  const serviceName = sanitisedField(p, T2.SERVICE_NAME, T2.SERVICE_NAME_SIZE, SERVICE_NAME_EXTRA);
  const targetDomain = sanitisedField(p, T2.TARGET_DOMAIN, T2.TARGET_DOMAIN_SIZE, TARGET_NAME_EXTRA);
  const ident = p.subarray(T2.REQUEST_ID, T2.REQUEST_ID + SERVICE_PARAMS_SIZE);
  const identBad = requestIdProblem(ident);
  if (identBad) return refused('BAD_IDENT', identBad, p, T2.REQUEST_ID, type);
  const nameBad = leadingProblem(p.subarray(T2.SERVICE_NAME, T2.SERVICE_NAME + T2.SERVICE_NAME_SIZE));
  if (nameBad) return refused('BAD_SERVICE_NAME', nameBad, p, T2.REQUEST_ID, type);
  return message({ type, serviceName, targetDomain, ident: readCString(ident, 0, SERVICE_PARAMS_SIZE) });
}

/** MSG_TRIGGER_SERVICE3/4 in qrexec-daemon's order: target (and source) sanitised, ident, then the service name. */
function triggerV3V4(
  p: Uint8Array, type: typeof MSG.TRIGGER_SERVICE3 | typeof MSG.TRIGGER_SERVICE4, nameAt: number, identAt: number,
  target: readonly [number, number], source: readonly [number, number] | null,
): PayloadOutcome {
  const sourceDomain = source ? sanitisedField(p, source[0], source[1], TARGET_NAME_EXTRA) : '';
  const targetDomain = sanitisedField(p, target[0], target[1], TARGET_NAME_EXTRA);
  const identBytes = p.subarray(identAt, identAt + SERVICE_PARAMS_SIZE);
  const identBad = requestIdProblem(identBytes);
  if (identBad) return refused('BAD_IDENT', identBad, p, identAt, type);
  const name = p.subarray(nameAt);
  const nameBad = serviceNameProblem(name);
  if (nameBad) return refused('BAD_SERVICE_NAME', nameBad, p, identAt, type);
  sanitizeNameBytes(name, SERVICE_NAME_EXTRA);
  const ident = readCString(identBytes, 0, SERVICE_PARAMS_SIZE);
  const serviceName = readCString(name, 0, name.length);
  return type === MSG.TRIGGER_SERVICE3
    ? message({ type, targetDomain, ident, serviceName })
    : message({ type, sourceDomain, targetDomain, ident, serviceName });
}
