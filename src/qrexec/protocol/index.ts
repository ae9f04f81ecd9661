/** The qrexec wire protocol (v3) as a codec and small state machines, without transport. */
export * from './qrexec-constants.js';
export { MSG, msgTypeName, type MsgType, type MsgTypeName } from './msg-type.js';
export { MSG_HEADER_SIZE, readHeader, writeHeader, type MsgHeader } from './msg-header.js';
export { EXEC_PARAMS_SIZE, readExecParams, writeExecParams, type ExecParams } from './exec-params.js';
export { SERVICE_PARAMS_SIZE } from './service-params.js';
export { TRIGGER_SERVICE_PARAMS, TRIGGER_SERVICE_PARAMS3, TRIGGER_SERVICE_PARAMS4 } from './trigger-service-params.js';
export { PEER_INFO_SIZE } from './peer-info.js';
export type * from './qrexec-message.js';
export {
  SERVICE_NAME_EXTRA, TARGET_NAME_EXTRA, requestIdProblem, sanitizeName, sanitizeNameBytes, sanitizeTargetName,
  serviceNameProblem,
} from './qrexec-names.js';
export { CHANNEL_KINDS, headerProblem, type ChannelKind } from './channel-kind.js';
export type { PayloadOutcome, Refusal } from './decode-payload.js';
export { QrexecDecoder, type DecodeEvent, type DecoderOptions, type DecoderSnapshot, type DecoderState } from './qrexec-decoder.js';
export { encodeFrame, encodeMessage } from './qrexec-encoder.js';
export { QrexecHandshake, type HandshakeDone, type HandshakeOptions, type HandshakeRole, type HandshakeState } from './qrexec-handshake.js';
export { DataChannel, type DataChannelState, type DataEvent, type DataRole, type DataStream } from './data-channel.js';
export {
  PROTOCOL_ERRORS, REFUSALS, type ProtocolError, type ProtocolErrorCode, type ProtocolResult, type RefusalCode,
} from './protocol-error.js';
