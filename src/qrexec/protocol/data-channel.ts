/** The rules of a data vchan: stdin goes to the service, stdout/stderr/exit code to the caller; EOF; the exit code ends it. */
import { MSG } from './msg-type.js';
import { protocolError, protocolErr, protocolOk, type ProtocolError, type ProtocolResult } from './protocol-error.js';
import { encodeMessage } from './qrexec-encoder.js';
import { QREXEC_PROTOCOL_VERSION, maxDataChunk } from './qrexec-constants.js';
import type { QrexecMessage } from './qrexec-message.js';

/** client: the calling side (sends stdin, gets stdout, stderr and the exit code); service: the other side. */
export type DataRole = 'client' | 'service';
export type DataStream = 'stdin' | 'stdout' | 'stderr';

export type DataEvent =
  | { readonly kind: 'data'; readonly stream: DataStream; readonly data: Uint8Array }
  | { readonly kind: 'eof'; readonly stream: DataStream }
  | { readonly kind: 'exit'; readonly status: number }
  /** Bytes on a stream after its EOF: qrexec has closed that pipe and drops them. */
  | { readonly kind: 'discarded'; readonly stream: DataStream; readonly bytes: number }
  | { readonly kind: 'error'; readonly error: ProtocolError };

export type DataChannelState = 'open' | 'exited' | 'failed';

const STREAM_OF = { [MSG.DATA_STDIN]: 'stdin', [MSG.DATA_STDOUT]: 'stdout', [MSG.DATA_STDERR]: 'stderr' } as const;
const TYPE_OF = { stdin: MSG.DATA_STDIN, stdout: MSG.DATA_STDOUT, stderr: MSG.DATA_STDERR } as const;

export class DataChannel {
  private stateValue: DataChannelState = 'open';
  private readonly eofIn = new Set<DataStream>();
  private readonly eofOut = new Set<DataStream>();
  private exitSent = false;

  constructor(readonly role: DataRole, readonly version = QREXEC_PROTOCOL_VERSION) {}

  /**
   * A channel going on from a suspend file, as far as receiving goes: the streams whose EOF came
   * already, and whether the exit code came (the data-call sides keep these as their own state).
   */
  static resumed(role: DataRole, seen: { readonly eof: readonly DataStream[]; readonly exited: boolean }): DataChannel {
    const c = new DataChannel(role);
    for (const stream of seen.eof) c.eofIn.add(stream);
    if (seen.exited) c.stateValue = 'exited';
    return c;
  }

  get state(): DataChannelState {
    return this.stateValue;
  }

  /** A decoded message from the peer; a protocol error ends the channel and is reported, never thrown. */
  receive(msg: QrexecMessage): DataEvent {
    if (this.stateValue === 'failed') return { kind: 'error', error: protocolError('FAILED', 'the data channel already failed') };
    if (this.stateValue === 'exited') return this.fail(protocolError('AFTER_EXIT', 'a message after the exit code', msg.type));
    if (msg.type === MSG.DATA_EXIT_CODE) {
      if (this.role === 'service') return this.fail(protocolError('WRONG_DIRECTION', 'the service got an exit code', msg.type));
      this.stateValue = 'exited';
      return { kind: 'exit', status: msg.status };
    }
    if (msg.type !== MSG.DATA_STDIN && msg.type !== MSG.DATA_STDOUT && msg.type !== MSG.DATA_STDERR) {
      return this.fail(protocolError('UNKNOWN_TYPE', 'not a data message', msg.type));
    }
    const stream = STREAM_OF[msg.type];
    if ((stream === 'stdin') !== (this.role === 'service')) {
      return this.fail(protocolError('WRONG_DIRECTION', `the ${this.role} got ${stream}`, msg.type));
    }
    if (this.eofIn.has(stream)) return { kind: 'discarded', stream, bytes: msg.data.length };
    if (msg.data.length === 0) {
      this.eofIn.add(stream);
      return { kind: 'eof', stream };
    }
    return { kind: 'data', stream, data: msg.data };
  }

  /** Encodes bytes of our stream as messages of at most one chunk each; an empty array encodes its EOF. */
  send(stream: DataStream, data: Uint8Array): ProtocolResult<Uint8Array[]> {
    const type = TYPE_OF[stream];
    const problem = this.sendProblem(stream, type);
    if (problem) return { ok: false, error: problem };
    const chunk = maxDataChunk(this.version);
    const out: Uint8Array[] = [];
    for (let at = 0; at === 0 || at < data.length; at += chunk) {
      const r = encodeMessage({ type, data: data.subarray(at, at + chunk) }, this.version);
      if (!r.ok) return r;
      out.push(r.value);
    }
    if (data.length === 0) this.eofOut.add(stream);
    return protocolOk(out);
  }

  /** The service's last message: its exit status. */
  exit(status: number): ProtocolResult<Uint8Array> {
    if (this.role !== 'service') return protocolErr('WRONG_DIRECTION', 'only the service sends an exit code', MSG.DATA_EXIT_CODE);
    if (this.exitSent) return protocolErr('AFTER_EXIT', 'the exit code was already sent', MSG.DATA_EXIT_CODE);
    const r = encodeMessage({ type: MSG.DATA_EXIT_CODE, status }, this.version);
    if (r.ok) this.exitSent = true;
    return r;
  }

  private sendProblem(stream: DataStream, type: number): ProtocolError | undefined {
    if ((stream === 'stdin') !== (this.role === 'client')) return protocolError('WRONG_DIRECTION', `the ${this.role} cannot send ${stream}`, type);
    if (this.exitSent || this.stateValue !== 'open') return protocolError('AFTER_EXIT', 'the call is over', type);
    if (this.eofOut.has(stream)) return protocolError('AFTER_EOF', `${stream} already ended`, type);
    return undefined;
  }

  private fail(error: ProtocolError): DataEvent {
    this.stateValue = 'failed';
    return { kind: 'error', error };
  }
}
