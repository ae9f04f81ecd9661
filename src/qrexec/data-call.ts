/**
 * One qrexec call's data link, either side: the caller (client role: sends stdin, gets stdout,
 * stderr and the exit code) or the service (sends stdout, stderr, then the exit code). Bytes move
 * between the link and byte pipes with backpressure both ways: a full pipe pauses reading the
 * vchan, a full outbox stops reading the pipe. Chunks are at most 64 KiB; empty data is EOF.
 */
import type { QrexecLink } from './link.js';
import { HIGH_WATER } from './link.js';
import type { ByteStream } from './pipe.js';
import { MAX_DATA_CHUNK_V3, MSG, type QrexecMessage } from './protocol/index.js';

type DataType = typeof MSG.DATA_STDIN | typeof MSG.DATA_STDOUT | typeof MSG.DATA_STDERR;

/** Copies a pipe into the link as `type` messages, then an empty one (EOF). */
class Sender {
  private done = false;
  private readonly stop: () => void;

  constructor(
    private readonly link: QrexecLink,
    private readonly from: ByteStream,
    private readonly type: DataType,
    private readonly onEof: () => void,
  ) {
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
}

/** Writes received data into a pipe; a pipe that is full pauses the link until it drains. */
class Receiver {
  /** Chunks not yet taken by the pipe, in order (one push of the link may bring several). */
  private readonly held: Uint8Array[] = [];
  private eof = false;
  private readonly stop: () => void;
  bytes = 0;

  constructor(
    private readonly link: QrexecLink,
    private readonly to: ByteStream,
  ) {
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

  private retry(): void {
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
    if (this.link.paused) this.link.resume();
  }

  close(): void {
    this.stop();
    this.to.writer.close();
  }
}

export interface CallOutcome {
  readonly exitCode: number;
  /** Bytes the caller sent and received (stdout + stderr). */
  readonly bytesIn: number;
  readonly bytesOut: number;
  /** Why the link ended early, if it did (no exit code: the caller sees 125). */
  readonly error: string | null;
}

/** The caller's side: `stdin` is sent, stdout and stderr land in their pipes; resolves at the exit code. */
export function clientSide(link: QrexecLink, stdin: ByteStream, stdout: ByteStream, stderr: ByteStream): Promise<CallOutcome> {
  return new Promise((resolve) => {
    let sent = 0;
    const out = new Receiver(link, stdout);
    const err = new Receiver(link, stderr);
    const counting: ByteStream = {
      reader: {
        read: (max) => {
          const r = stdin.reader.read(max);
          if (r instanceof Uint8Array) sent += r.length;
          return r;
        },
        close: () => stdin.reader.close(),
      },
      writer: stdin.writer,
      watch: (fn) => stdin.watch(fn),
    };
    const sender = new Sender(link, counting, MSG.DATA_STDIN, () => undefined);
    let finished = false;
    const finish = (exitCode: number, error: string | null) => {
      if (finished) return;
      finished = true;
      out.close();
      err.close();
      link.close();
      resolve({ exitCode, bytesIn: sent, bytesOut: out.bytes + err.bytes, error });
    };
    link.setHandlers({
      onMessage: (msg: QrexecMessage) => {
        if (msg.type === MSG.DATA_STDOUT) out.take(msg.data);
        else if (msg.type === MSG.DATA_STDERR) err.take(msg.data);
        else if (msg.type === MSG.DATA_EXIT_CODE) finish(msg.status, null);
      },
      onDrained: () => sender.pump(),
      onClosed: (error) => finish(125, error ?? 'the service side closed without an exit code'),
    });
  });
}

/** The service's side: stdin lands in its pipe; stdout and stderr are sent; then `exitCode` once known. */
export function serviceSide(link: QrexecLink, stdin: ByteStream, stdout: ByteStream, stderr: ByteStream, exitCode: Promise<number>): Promise<void> {
  return new Promise((resolve) => {
    const input = new Receiver(link, stdin);
    let open = 2;
    const eof = () => {
      open--;
      if (open === 0) void exitCode.then(sendExit);
    };
    const senders = [new Sender(link, stdout, MSG.DATA_STDOUT, eof), new Sender(link, stderr, MSG.DATA_STDERR, eof)];
    let finished = false;
    const sendExit = (status: number) => {
      if (finished) return;
      finished = true;
      link.send({ type: MSG.DATA_EXIT_CODE, status });
      link.close();
      resolve();
    };
    link.setHandlers({
      onMessage: (msg) => {
        if (msg.type === MSG.DATA_STDIN) input.take(msg.data);
      },
      onDrained: () => senders.forEach((s) => s.pump()),
      onClosed: () => {
        input.close();
        if (!finished) {
          finished = true;
          resolve();
        }
      },
    });
  });
}
