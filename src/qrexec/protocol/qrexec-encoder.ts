/** Encodes qrexec messages (header and payload struct), refusing fields the structs cannot hold. */
import { cFieldProblem, writeCString } from './c-string.js';
import { EXEC_PARAMS_SIZE, writeExecParams } from './exec-params.js';
import { MSG_HEADER_SIZE, writeHeader, writeU32 } from './msg-header.js';
import { MSG, msgTypeName } from './msg-type.js';
import { PEER_INFO_SIZE } from './peer-info.js';
import { protocolErr, protocolOk, type ProtocolResult } from './protocol-error.js';
import { MAX_QREXEC_CMD_LEN, MAX_SERVICE_NAME_LEN, QREXEC_PROTOCOL_VERSION, maxDataChunk } from './qrexec-constants.js';
import type { QrexecMessage } from './qrexec-message.js';
import { SERVICE_PARAMS_SIZE } from './service-params.js';
import { TRIGGER_SERVICE_PARAMS as T2, TRIGGER_SERVICE_PARAMS3 as T3, TRIGGER_SERVICE_PARAMS4 as T4 } from './trigger-service-params.js';

/** A header and payload as given, unchecked (for relaying, and for tests that play a hostile peer). */
export function encodeFrame(type: number, payload: Uint8Array): Uint8Array {
  const out = new Uint8Array(MSG_HEADER_SIZE + payload.length);
  writeHeader(out, 0, type, payload.length);
  out.set(payload, MSG_HEADER_SIZE);
  return out;
}

type Field = readonly [at: number, size: number, value: string, name: string];

const isU32 = (n: number): boolean => Number.isInteger(n) && n >= 0 && n <= 0xffff_ffff;

/** Lays out char fields in a payload of `size` bytes after checking each fits. */
function withFields(type: number, size: number, fields: readonly Field[], head?: (p: Uint8Array) => void): ProtocolResult<Uint8Array> {
  for (const [, fieldSize, value, name] of fields) {
    const problem = cFieldProblem(value, fieldSize);
    if (problem) return protocolErr('BAD_FIELD', `${msgTypeName(type)} ${name}: ${problem}`, type);
  }
  const p = new Uint8Array(size);
  head?.(p);
  for (const [at, fieldSize, value] of fields) writeCString(p, at, fieldSize, value);
  return protocolOk(encodeFrame(type, p));
}

/** Header + payload for `msg`; data chunks are checked against the chunk size of `version`. */
export function encodeMessage(msg: QrexecMessage, version = QREXEC_PROTOCOL_VERSION): ProtocolResult<Uint8Array> {
  const t = msg.type;
  switch (msg.type) {
    case MSG.HELLO: {
      if (!isU32(msg.version)) return protocolErr('BAD_FIELD', `version ${msg.version}`, t);
      const p = new Uint8Array(PEER_INFO_SIZE);
      writeU32(p, 0, msg.version);
      return protocolOk(encodeFrame(t, p));
    }
    case MSG.DATA_STDIN: case MSG.DATA_STDOUT: case MSG.DATA_STDERR:
      if (msg.data.length > maxDataChunk(version)) return protocolErr('TOO_BIG', `${msg.data.length} bytes over ${maxDataChunk(version)}`, t);
      return protocolOk(encodeFrame(t, msg.data));
    case MSG.DATA_EXIT_CODE: {
      if (!Number.isInteger(msg.status) || msg.status < -0x8000_0000 || msg.status > 0x7fff_ffff) return protocolErr('BAD_FIELD', `status ${msg.status}`, t);
      const p = new Uint8Array(4);
      writeU32(p, 0, msg.status >>> 0);
      return protocolOk(encodeFrame(t, p));
    }
    case MSG.EXEC_CMDLINE: case MSG.JUST_EXEC: case MSG.SERVICE_CONNECT: {
      if (!isU32(msg.connectDomain) || !isU32(msg.connectPort)) return protocolErr('BAD_FIELD', 'connect_domain/connect_port', t);
      const isConnect = msg.type === MSG.SERVICE_CONNECT;
      const text = isConnect ? msg.ident : msg.cmdline;
      if (text === null) return withFields(t, EXEC_PARAMS_SIZE, [], (p) => writeExecParams(p, 0, msg));
      if (!isConnect && text.length + 1 > MAX_QREXEC_CMD_LEN) return protocolErr('TOO_BIG', `command line of ${text.length + 1} bytes`, t);
      const size = isConnect ? SERVICE_PARAMS_SIZE : text.length + 1;
      return withFields(t, EXEC_PARAMS_SIZE + size, [[EXEC_PARAMS_SIZE, size, text, isConnect ? 'ident' : 'cmdline']],
        (p) => writeExecParams(p, 0, msg));
    }
    case MSG.SERVICE_REFUSED:
      return withFields(t, SERVICE_PARAMS_SIZE, [[0, SERVICE_PARAMS_SIZE, msg.ident, 'ident']]);
    case MSG.CONNECTION_TERMINATED: {
      if (!isU32(msg.connectDomain) || !isU32(msg.connectPort)) return protocolErr('BAD_FIELD', 'connect_domain/connect_port', t);
      return withFields(t, EXEC_PARAMS_SIZE, [], (p) => writeExecParams(p, 0, msg));
    }
    case MSG.TRIGGER_SERVICE:
      return withFields(t, T2.SIZE, [
        [T2.SERVICE_NAME, T2.SERVICE_NAME_SIZE, msg.serviceName, 'service_name'],
        [T2.TARGET_DOMAIN, T2.TARGET_DOMAIN_SIZE, msg.targetDomain, 'target_domain'],
        [T2.REQUEST_ID, SERVICE_PARAMS_SIZE, msg.ident, 'ident'],
      ]);
    case MSG.TRIGGER_SERVICE3:
      if (msg.serviceName.length + 1 > MAX_SERVICE_NAME_LEN) return protocolErr('TOO_BIG', `service name of ${msg.serviceName.length + 1} bytes`, t);
      return withFields(t, T3.SIZE + msg.serviceName.length + 1, [
        [T3.TARGET_DOMAIN, T3.TARGET_DOMAIN_SIZE, msg.targetDomain, 'target_domain'],
        [T3.REQUEST_ID, SERVICE_PARAMS_SIZE, msg.ident, 'ident'],
        [T3.SERVICE_NAME, msg.serviceName.length + 1, msg.serviceName, 'service_name'],
      ]);
    case MSG.TRIGGER_SERVICE4:
      if (msg.serviceName.length + 1 > MAX_SERVICE_NAME_LEN) return protocolErr('TOO_BIG', `service name of ${msg.serviceName.length + 1} bytes`, t);
      return withFields(t, T4.SIZE + msg.serviceName.length + 1, [
        [T4.SOURCE_DOMAIN, T4.SOURCE_DOMAIN_SIZE, msg.sourceDomain, 'source_domain'],
        [T4.TARGET_DOMAIN, T4.TARGET_DOMAIN_SIZE, msg.targetDomain, 'target_domain'],
        [T4.REQUEST_ID, SERVICE_PARAMS_SIZE, msg.ident, 'ident'],
        [T4.SERVICE_NAME, msg.serviceName.length + 1, msg.serviceName, 'service_name'],
      ]);
  }
}
