/**
 * One qrexec call's data link, either side: the caller (client role: sends stdin, gets stdout,
 * stderr and the exit code) or the service (sends stdout, stderr, then the exit code). Bytes move
 * between the link and byte pipes with backpressure both ways: a full pipe pauses reading the
 * vchan, a full outbox stops reading the pipe. Chunks are at most 64 KiB; empty data is EOF.
 * Both sides are plain data between events, so a suspend file can keep a call in the middle.
 */
import type { QrexecLink } from './link.js';
import { HIGH_WATER } from './link.js';
import type { ByteStream } from './pipe.js';
import { DataChannel, MAX_DATA_CHUNK_V3, MSG, QREXEC_EXIT, type DataEvent } from './protocol/index.js';

type DataType = typeof MSG.DATA_STDIN | typeof MSG.DATA_STDOUT | typeof MSG.DATA_STDERR;

export interface SenderState {
  done: boolean;
}

/** Copies a pipe into the link as `type` messages, then an empty one (EOF). */
class Sender {
  done = false;
  private stop: () => void = () => undefined;

  constructor(
    private readonly link: QrexecLink,
    private readonly from: ByteStream,
    private readonly type: DataType,
    private readonly onEof: () => void,
    saved?: SenderState,
  ) {
    if (saved) this.done = saved.done;
    if (this.done) return;
    this.stop = from.watch(() => this.pump());
    queueMicrotask(() => this.pump());
  }

  /** Moves what the pipe holds while the link's outbox has room. */
  pump(): void {
    while (!this.done && this.link.queued < HIGH_WATER) {
      const got = this.from.reader.read(MAX_DATA_CHUNK_V3);
      if (got === 'would-block') return;
      if (got === 'eof' || !(got instanceof Uint8Array)) {
        this.done = true;
        this.stop();
        this.link.send({ type: this.type, data: new Uint8Array(0) });
        this.onEof();
        return;
      }
      this.link.send({ type: this.type, data: got });
    }
  }

  save(): SenderState {
    return { done: this.done };
  }

  detach(): void {
    this.stop();
  }
}

export interface ReceiverState {
  /** Data received but not yet taken by the pipe, base64. */
  held: string;
  eof: boolean;
  bytes: number;
}

/**
 * Writes received data into a pipe; a pipe that is full pauses the link until it drains. Two
 * receivers on one link (stdout and stderr) share its pause: it resumes only when neither holds data.
 */
class Receiver {
  /** Chunks not yet taken by the pipe, in order (one push of the link may bring several). */
  private readonly held: Uint8Array[] = [];
  private eof = false;
  private stop: () => void;
  bytes = 0;

  constructor(
    private readonly link: QrexecLink,
    private readonly to: ByteStream,
    saved?: ReceiverState,
    /** Whether the link's other receiver still holds data its pipe would not take. */
    private readonly otherBlocked: () => boolean = () => false,
  ) {
    if (saved) {
      const held = new Uint8Array(Buffer.from(saved.held, 'base64'));
      if (held.length > 0) this.held.push(held);
      this.eof = saved.eof;
      this.bytes = saved.bytes;
    }
    this.stop = to.watch(() => this.retry());
  }

  take(data: Uint8Array): void {
    if (data.length === 0) this.eof = true;
    else {
      this.bytes += data.length;
      this.held.push(data);
    }
    this.retry();
  }

  retry(): void {
    while (this.held.length > 0) {
      const head = this.held[0];
      const n = this.to.writer.write(head);
      if (n === 'would-block') {
        this.link.paused = true;
        return;
      }
      if (typeof n !== 'number') {
        this.held.length = 0;
        break;
      }
      if (n === head.length) this.held.shift();
      else this.held[0] = head.subarray(n);
    }
    if (this.eof) {
      this.to.writer.close();
      this.stop();
    }
    if (this.link.paused && !this.otherBlocked()) this.link.resume();
  }

  /** The peer's EOF came. */
  get ended(): boolean {
    return this.eof;
  }

  /** Data is waiting for the pipe to take it. */
  get blocked(): boolean {
    return this.held.length > 0;
  }

  close(): void {
    this.stop();
    this.to.writer.close();
  }

  save(): ReceiverState {
    return { held: Buffer.concat(this.held).toString('base64'), eof: this.eof, bytes: this.bytes };
  }

  detach(): void {
    this.stop();
  }
}

export interface CallOutcome {
  readonly exitCode: number;
  /** Bytes the caller sent and received (stdout + stderr). */
  readonly bytesIn: number;
  readonly bytesOut: number;
  /** Why the link ended early, if it did (no exit code: the caller sees 125). */
  readonly error: string | null;
  /** The daemon refused the request (MSG_SERVICE_REFUSED): no service ran. */
  readonly refused?: true;
}

/** A call that moved no data and ended with `exitCode` (125 or 126) for `error`. */
export function failedOutcome(exitCode: number, error: string): CallOutcome {
  return { exitCode, bytesIn: 0, bytesOut: 0, error };
}

export interface ClientSideState {
  sent: number;
  finished: boolean;
  stdin: SenderState;
  stdout: ReceiverState;
  stderr: ReceiverState;
}

/** The caller's side: `stdin` is sent, stdout and stderr land in their pipes; `onDone` gets the outcome at the exit code. */
export class ClientSide {
  onDone: (outcome: CallOutcome) => void = () => undefined;
  private sent = 0;
  private finished = false;
  private readonly out: Receiver;
  private readonly err: Receiver;
  private readonly sender: Sender;

  constructor(
    private readonly link: QrexecLink,
    stdin: ByteStream,
    stdout: ByteStream,
    stderr: ByteStream,
    saved?: ClientSideState,
  ) {
    if (saved) {
      this.sent = saved.sent;
      this.finished = saved.finished;
    }
    this.out = new Receiver(link, stdout, saved?.stdout, () => this.err.blocked);
    this.err = new Receiver(link, stderr, saved?.stderr, () => this.out.blocked);
    const counting: ByteStream = {
      reader: {
        read: (max) => {
          const r = stdin.reader.read(max);
          if (r instanceof Uint8Array) this.sent += r.length;
          return r;
        },
        close: () => stdin.reader.close(),
      },
      writer: stdin.writer,
      watch: (fn) => stdin.watch(fn),
    };
    this.sender = new Sender(link, counting, MSG.DATA_STDIN, () => undefined, saved?.stdin);
    // what the service may send, and when, is DataChannel's to say
    const rules = DataChannel.resumed('client', { eof: [...(this.out.ended ? ['stdout' as const] : []), ...(this.err.ended ? ['stderr' as const] : [])], exited: this.finished });
    link.setHandlers({
      onMessage: (msg) => this.received(rules.receive(msg)),
      onDrained: () => this.sender.pump(),
      onClosed: (error) => this.finish(QREXEC_EXIT.PROBLEM, error ?? 'the service side closed without an exit code'),
    });
    if (saved) {
      this.out.retry();
      this.err.retry();
    }
  }

  save(): ClientSideState {
    return { sent: this.sent, finished: this.finished, stdin: this.sender.save(), stdout: this.out.save(), stderr: this.err.save() };
  }

  /** Stops listening to the pipes (the VM is being suspended); the state stays as saved. */
  detach(): void {
    this.sender.detach();
    this.out.detach();
    this.err.detach();
    this.link.detach();
  }

  private received(ev: DataEvent): void {
    if (ev.kind === 'data') (ev.stream === 'stdout' ? this.out : this.err).take(ev.data);
    else if (ev.kind === 'eof') (ev.stream === 'stdout' ? this.out : this.err).take(new Uint8Array(0));
    else if (ev.kind === 'exit') this.finish(ev.status, null);
    else if (ev.kind === 'error') this.finish(QREXEC_EXIT.PROBLEM, `the service broke the data protocol (${ev.error.code}: ${ev.error.detail})`);
  }

  private finish(exitCode: number, error: string | null): void {
    if (this.finished) return;
    this.finished = true;
    this.out.close();
    this.err.close();
    this.link.close();
    this.onDone({ exitCode, bytesIn: this.sent, bytesOut: this.out.bytes + this.err.bytes, error });
  }
}

/** The caller's side as a promise (dom0's calls, which are never suspended). */
export function clientSide(link: QrexecLink, stdin: ByteStream, stdout: ByteStream, stderr: ByteStream): Promise<CallOutcome> {
  return new Promise((resolve) => {
    new ClientSide(link, stdin, stdout, stderr).onDone = resolve;
  });
}

export interface ServiceSideState {
  /** Output streams not yet at EOF. */
  open: number;
  finished: boolean;
  exit: number | null;
  stdin: ReceiverState;
  stdout: SenderState;
  stderr: SenderState;
}

/** The service's side: stdin lands in its pipe; stdout and stderr are sent; then the exit code once `setExit` gives it. */
export class ServiceSide {
  /** The link is over (exit code sent, or the caller went away). */
  onDone: () => void = () => undefined;
  private open = 2;
  private finished = false;
  private exit: number | null = null;
  private readonly input: Receiver;
  private readonly senders: Sender[];

  constructor(
    private readonly link: QrexecLink,
    stdin: ByteStream,
    stdout: ByteStream,
    stderr: ByteStream,
    saved?: ServiceSideState,
  ) {
    if (saved) {
      this.open = saved.open;
      this.finished = saved.finished;
      this.exit = saved.exit;
    }
    this.input = new Receiver(link, stdin, saved?.stdin);
    const eof = () => {
      this.open--;
      this.maybeExit();
    };
    this.senders = [new Sender(link, stdout, MSG.DATA_STDOUT, eof, saved?.stdout), new Sender(link, stderr, MSG.DATA_STDERR, eof, saved?.stderr)];
    const rules = DataChannel.resumed('service', { eof: this.input.ended ? ['stdin'] : [], exited: false });
    link.setHandlers({
      onMessage: (msg) => {
        const ev = rules.receive(msg);
        if (ev.kind === 'data') this.input.take(ev.data);
        else if (ev.kind === 'eof') this.input.take(new Uint8Array(0));
        // a caller that breaks the protocol loses the call: the link closes, and onClosed ends the side
        else if (ev.kind === 'error') this.link.close();
      },
      onDrained: () => this.senders.forEach((s) => s.pump()),
      onClosed: () => {
        this.input.close();
        if (!this.finished) {
          this.finished = true;
          this.onDone();
        }
      },
    });
    if (saved) this.input.retry();
  }

  /** The service ended with `status`: it goes out once stdout and stderr are at EOF. */
  setExit(status: number): void {
    this.exit = status;
    this.maybeExit();
  }

  save(): ServiceSideState {
    return { open: this.open, finished: this.finished, exit: this.exit, stdin: this.input.save(), stdout: this.senders[0].save(), stderr: this.senders[1].save() };
  }

  detach(): void {
    this.input.detach();
    for (const s of this.senders) s.detach();
    this.link.detach();
  }

  private maybeExit(): void {
    if (this.open > 0 || this.exit === null || this.finished) return;
    this.finished = true;
    this.link.send({ type: MSG.DATA_EXIT_CODE, status: this.exit });
    this.link.close();
    this.onDone();
  }
}
