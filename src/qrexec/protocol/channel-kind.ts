/** The kinds of qrexec link and what the receiving end accepts on each: types, versions and header lengths. */
import { EXEC_PARAMS_SIZE } from './exec-params.js';
import { MAX_QREXEC_CMD_LEN, MAX_SERVICE_NAME_LEN, QREXEC_PROTOCOL_V3, QREXEC_PROTOCOL_V4, maxDataChunk } from './qrexec-constants.js';
import { MSG, msgTypeName, type MsgType } from './msg-type.js';
import { protocolError, type ProtocolError } from './protocol-error.js';
import { SERVICE_PARAMS_SIZE } from './service-params.js';
import { TRIGGER_SERVICE_PARAMS, TRIGGER_SERVICE_PARAMS3, TRIGGER_SERVICE_PARAMS4 } from './trigger-service-params.js';

/** Named by direction: what the receiving program reads on that link. */
export type ChannelKind = 'agent-to-daemon' | 'daemon-to-agent' | 'client-to-daemon' | 'daemon-to-client' | 'data';

export const CHANNEL_KINDS: Record<ChannelKind, { readonly doc: string; readonly accepts: readonly MsgType[] }> = {
  'agent-to-daemon': {
    doc: 'qrexec-daemon reading its VM\'s agent on the control vchan',
    accepts: [MSG.TRIGGER_SERVICE, MSG.TRIGGER_SERVICE3, MSG.TRIGGER_SERVICE4, MSG.CONNECTION_TERMINATED],
  },
  'daemon-to-agent': {
    doc: 'qrexec-agent reading dom0\'s daemon on the control vchan',
    accepts: [MSG.EXEC_CMDLINE, MSG.JUST_EXEC, MSG.SERVICE_CONNECT, MSG.SERVICE_REFUSED],
  },
  'client-to-daemon': {
    doc: 'qrexec-daemon reading a qrexec-client on its socket',
    accepts: [MSG.EXEC_CMDLINE, MSG.JUST_EXEC, MSG.SERVICE_CONNECT],
  },
  'daemon-to-client': {
    doc: 'qrexec-client reading the daemon\'s answer (the data port it allocated)',
    accepts: [MSG.EXEC_CMDLINE, MSG.JUST_EXEC, MSG.SERVICE_CONNECT],
  },
  data: {
    doc: 'either end of a data vchan (the direction rules are DataChannel\'s)',
    accepts: [MSG.DATA_STDIN, MSG.DATA_STDOUT, MSG.DATA_STDERR, MSG.DATA_EXIT_CODE],
  },
};

/**
 * The checks made on a header before its payload is read (qrexec-daemon's sanitize_message_from_agent and
 * the agent's and client's equivalents): the type must belong to the link and the version, the length must
 * fit the type. An oversized length is refused here, so its payload is never buffered.
 */
export function headerProblem(kind: ChannelKind, version: number, type: number, len: number): ProtocolError | undefined {
  const name = msgTypeName(type);
  if (!(CHANNEL_KINDS[kind].accepts as readonly number[]).includes(type)) {
    return protocolError('UNKNOWN_TYPE', `${name} is not accepted on a ${kind} link`, type);
  }
  const bad = (detail: string): ProtocolError => protocolError('BAD_LENGTH', `${name}: ${detail}`, type);
  const big = (detail: string): ProtocolError => protocolError('TOO_BIG', `${name}: ${detail}`, type);
  switch (type) {
    case MSG.TRIGGER_SERVICE:
      if (version >= QREXEC_PROTOCOL_V3) return protocolError('WRONG_VERSION', `${name} at protocol ${version}`, type);
      return len === TRIGGER_SERVICE_PARAMS.SIZE ? undefined : bad(`length ${len} is not ${TRIGGER_SERVICE_PARAMS.SIZE}`);
    case MSG.TRIGGER_SERVICE3:
      return triggerProblem(version, QREXEC_PROTOCOL_V3, TRIGGER_SERVICE_PARAMS3.SIZE, len, name, type);
    case MSG.TRIGGER_SERVICE4:
      return triggerProblem(version, QREXEC_PROTOCOL_V4, TRIGGER_SERVICE_PARAMS4.SIZE, len, name, type);
    case MSG.CONNECTION_TERMINATED:
      return len === EXEC_PARAMS_SIZE ? undefined : bad(`length ${len} is not ${EXEC_PARAMS_SIZE}`);
    case MSG.SERVICE_REFUSED:
      return len === SERVICE_PARAMS_SIZE ? undefined : bad(`length ${len} is not ${SERVICE_PARAMS_SIZE}`);
    case MSG.EXEC_CMDLINE: case MSG.JUST_EXEC: case MSG.SERVICE_CONNECT:
      if (kind === 'daemon-to-client') return len === EXEC_PARAMS_SIZE ? undefined : bad(`length ${len} is not ${EXEC_PARAMS_SIZE}`);
      if (len <= EXEC_PARAMS_SIZE) return bad(`length ${len} leaves no command line`);
      return len - EXEC_PARAMS_SIZE > MAX_QREXEC_CMD_LEN ? big(`command line of ${len - EXEC_PARAMS_SIZE} bytes`) : undefined;
    default:
      return len > maxDataChunk(version) ? big(`chunk of ${len} bytes over ${maxDataChunk(version)}`) : undefined;
  }
}

function triggerProblem(version: number, needs: number, fixed: number, len: number, name: string, type: number): ProtocolError | undefined {
  if (version < needs) return protocolError('WRONG_VERSION', `${name} at protocol ${version}`, type);
  if (len <= fixed) return protocolError('BAD_LENGTH', `${name}: length ${len} leaves no service name`, type);
  if (len - fixed > MAX_SERVICE_NAME_LEN) return protocolError('TOO_BIG', `${name}: service name of ${len - fixed} bytes`, type);
  return undefined;
}
