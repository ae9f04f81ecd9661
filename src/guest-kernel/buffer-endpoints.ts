/** In-memory fd endpoints: input from a byte array (optionally fed later) and output collected to bytes. */
import type { InputEndpoint, OutputEndpoint, ReadResult, WriteResult } from './fd-endpoint.js';

/** Input served from bytes; after them it says "would block" until closed, then end of file. */
export class BufferInput implements InputEndpoint {
  private chunks: Uint8Array[] = [];
  private closed: boolean;

  constructor(initial?: Uint8Array, { open = false } = {}) {
    if (initial !== undefined && initial.length > 0) this.chunks.push(initial);
    this.closed = !open;
  }

  /** Appends bytes for the guest to read. */
  feed(bytes: Uint8Array): void {
    if (bytes.length > 0) this.chunks.push(bytes);
  }

  /** Marks the end of input. */
  close(): void {
    this.closed = true;
  }

  read(max: number): ReadResult {
    const head = this.chunks[0];
    if (head === undefined) return this.closed ? 'eof' : 'would-block';
    if (head.length <= max) { this.chunks.shift(); return head; }
    this.chunks[0] = head.subarray(max);
    return head.subarray(0, max);
  }
}

/** Output that keeps everything written. */
export class BufferOutput implements OutputEndpoint {
  private chunks: Uint8Array[] = [];

  write(bytes: Uint8Array): WriteResult {
    this.chunks.push(bytes.slice());
    return bytes.length;
  }

  /** All bytes written so far. */
  bytes(): Uint8Array {
    return Buffer.concat(this.chunks);
  }

  text(): string {
    return new TextDecoder().decode(this.bytes());
  }
}
