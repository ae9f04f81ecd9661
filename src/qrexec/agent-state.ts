/**
 * What the qrexec agent needs of its VM's PV kernel (AgentHost, the streams it names) and the
 * agent's calls as plain data (AgentState): what a suspend file holds of it.
 */
import type { ClientSideState, ServiceSideState } from './data-call.js';
import type { LinkState } from './link.js';
import type { ByteStream } from './pipe.js';
import type { FrameRangeState, LibxenvchanState, VchanHost } from './vchan/index.js';

/** Names of the kernel's streams (the VM's kernel objects); the agent turns them into byte streams. */
export type StreamRef = unknown;

/** A call's streams as the VM names them. */
export interface CallStreams<R = StreamRef> {
  readonly stdin: R;
  readonly stdout: R;
  readonly stderr: R;
}

/** What the agent needs of its VM's PV kernel. */
export interface AgentHost {
  readonly vchan: VchanHost;
  readonly domid: number;
  /** Listens on one of the VM's event-channel ports (the kernel is woken, not the guest). */
  listen(port: number, fn: () => void): () => void;
  /** New pipes for a served call's streams: their names. */
  newCallStreams(): CallStreams;
  /** A byte stream reading (`input`) or writing one of the VM's streams. */
  stream(ref: StreamRef, direction: 'input' | 'output'): ByteStream;
  /** Starts a qrexec service (QUBESRPC) of the VM's image; the id of its job. */
  startService(request: { service: string; argument: string; source: string }, io: CallStreams): number;
  /** Starts a plain command line (qvm-run without --service) with the VM's shell; the id of its job. */
  startCommand(cmdline: string, source: string, io: CallStreams): number;
  /** Closes a stream (JUST_EXEC has no output). */
  close(ref: StreamRef, direction: 'input' | 'output'): void;
  /** Milliseconds to wait for a peer's vchan to appear. */
  readonly timeoutMs: number;
}

export interface VchanLinkState {
  end: LibxenvchanState;
  link: LinkState;
}

/** A service run for a caller (EXEC_CMDLINE), as plain data. */
export interface ServedCallState {
  connectDomain: number;
  connectPort: number;
  cmdline: string;
  justExec: boolean;
  phase: 'connecting' | 'serving';
  io: CallStreams | null;
  job: number | null;
  data: (VchanLinkState & { side: ServiceSideState }) | null;
}

/** A call of this VM's guest (TRIGGER_SERVICE3), as plain data. */
export interface OwnCallState {
  ident: string;
  phase: 'pending' | 'connected';
  io: CallStreams;
  data: (VchanLinkState & { side: ClientSideState }) | null;
}

export interface AgentState {
  control: VchanLinkState;
  nextIdent: number;
  frames: FrameRangeState;
  slots: FrameRangeState;
  served: ServedCallState[];
  own: OwnCallState[];
  /** Data vchans this VM served, closed, whose frames wait for the peer's unmap. */
  closedServers: LibxenvchanState[];
}
