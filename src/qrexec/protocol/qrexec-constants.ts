/** qrexec protocol constants (libqrexec/qrexec.h): versions, size limits, vchan ports, exit codes. */

export const QREXEC_PROTOCOL_V2 = 2;
export const QREXEC_PROTOCOL_V3 = 3;
export const QREXEC_PROTOCOL_V4 = 4;
/** The version Cella speaks on every link (Qubes R4.1–R4.2). */
export const QREXEC_PROTOCOL_VERSION = QREXEC_PROTOCOL_V3;
/** Lowest version qrexec-daemon accepts from an agent (and the default minimum of a link). */
export const QREXEC_MIN_VERSION = QREXEC_PROTOCOL_V2;

/** Largest data message payload: 4 KiB up to protocol 2, 64 KiB from protocol 3. */
export const MAX_DATA_CHUNK_V2 = 4096;
export const MAX_DATA_CHUNK_V3 = 65536;
export const maxDataChunk = (version: number): number => (version < QREXEC_PROTOCOL_V3 ? MAX_DATA_CHUNK_V2 : MAX_DATA_CHUNK_V3);

/** Service name bytes of MSG_TRIGGER_SERVICE3/4, its NUL included. */
export const MAX_SERVICE_NAME_LEN = 65000;
/** Command line bytes of MSG_EXEC_CMDLINE / MSG_JUST_EXEC, its NUL included. */
export const MAX_QREXEC_CMD_LEN = 65535;
/** Clients (and data ports) per qrexec-daemon. */
export const MAX_FDS = 256;

/** The control vchan's port; data vchans use 513 … 513 + MAX_FDS − 1. */
export const VCHAN_BASE_PORT = 512;
export const VCHAN_BASE_DATA_PORT = VCHAN_BASE_PORT + 1;

/** The first word of a service call's command line, and the prefix that keeps a command off the GUI. */
export const RPC_REQUEST_COMMAND = 'QUBESRPC';
export const NOGUI_CMD_PREFIX = 'nogui:';

/** Exit statuses qrexec-client and qrexec-client-vm report for failures of qrexec itself. */
export const QREXEC_EXIT = {
  /** Something in qrexec failed. */
  PROBLEM: 125,
  /** The policy refused the call. */
  REFUSED: 126,
  /** The call was allowed but the target has no such service. */
  SERVICE_NOT_FOUND: 127,
} as const;

/** Default vchan ring size per direction for qrexec links (qrexec-client-vm --buffer-size). */
export const QREXEC_VCHAN_BUFFER_SIZE = 65536;
