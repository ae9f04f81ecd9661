/**
 * A pipe between two fds of the PV kernel (processes of a VM, or a process and the qrexec relay):
 * a bounded byte queue; reading an empty open pipe or writing a full one says "would block", and a
 * change tells the listener so that blocked vCPUs retry. Closing the write end is end of file.
 */
import type { InputEndpoint, OutputEndpoint, ReadResult, WriteResult } from './fd-endpoint.js';

/** What a pipe holds, as plain data (a suspend file keeps it). */
export interface PipeState {
  capacity: number;
  /** The bytes held, base64. */
  data: string;
  writerClosed: boolean;
  readerClosed: boolean;
}

/** Bytes a pipe holds before writers block (Linux's default pipe size). */
export const PIPE_CAPACITY = 64 * 1024;
const EPIPE = 32;

export class Pipe {
  private readonly chunks: Uint8Array[] = [];
  private held = 0;
  writerClosed = false;
  readerClosed = false;
  private readonly listeners = new Set<() => void>();

  /** Its number among the kernel objects of its VM (0: not one of a VM's). */
  id = 0;

  constructor(readonly capacity = PIPE_CAPACITY) {}

  save(): PipeState {
    return { capacity: this.capacity, data: Buffer.concat(this.chunks).toString('base64'), writerClosed: this.writerClosed, readerClosed: this.readerClosed };
  }

  static restore(s: PipeState): Pipe {
    const p = new Pipe(s.capacity);
    const data = new Uint8Array(Buffer.from(s.data, 'base64'));
    if (data.length > 0) p.chunks.push(data);
    p.held = data.length;
    p.writerClosed = s.writerClosed;
    p.readerClosed = s.readerClosed;
    return p;
  }

  /** Both ends closed and nothing left: no one can use it again. */
  get finished(): boolean {
    return this.writerClosed && (this.readerClosed || this.held === 0);
  }

  /** Calls `fn` whenever the pipe changes (data in or out, an end closed); returns its removal. */
  watch(fn: () => void): () => void {
    this.listeners.add(fn);
    return () => this.listeners.delete(fn);
  }

  private notifying = false;

  /** Tells the listeners soon (a microtask), once for any number of changes: never from inside a read or write. */
  private onChange(): void {
    if (this.notifying) return;
    this.notifying = true;
    queueMicrotask(() => {
      this.notifying = false;
      for (const fn of [...this.listeners]) fn();
    });
  }

  readonly reader: InputEndpoint & { close(): void } = {
    read: (max: number): ReadResult => {
      const head = this.chunks[0];
      if (head === undefined) return this.writerClosed ? 'eof' : 'would-block';
      const out = head.length <= max ? head : head.subarray(0, max);
      if (out === head) this.chunks.shift();
      else this.chunks[0] = head.subarray(max);
      this.held -= out.length;
      this.onChange();
      return out;
    },
    close: () => {
      if (this.readerClosed) return;
      this.readerClosed = true;
      this.chunks.length = 0;
      this.held = 0;
      this.onChange();
    },
  };

  readonly writer: OutputEndpoint & { close(): void } = {
    write: (bytes: Uint8Array): WriteResult => {
      if (this.readerClosed) return { errno: EPIPE };
      const room = this.capacity - this.held;
      if (room <= 0) return 'would-block';
      const n = Math.min(room, bytes.length);
      this.chunks.push(bytes.slice(0, n));
      this.held += n;
      this.onChange();
      return n;
    },
    close: () => {
      // closing twice changes nothing, so it tells no one (a listener that closes must not loop)
      if (this.writerClosed) return;
      this.writerClosed = true;
      this.onChange();
    },
  };
}
