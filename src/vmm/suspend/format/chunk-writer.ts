/** Writes a file through two 1 MiB buffers (one filling, one being written), hashing every byte once as it goes. */
import type { Hash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { CHUNK_SIZE } from './layout.js';

export type ProgressCallback = (done: number, total: number) => void;

export interface ChunkWriterOptions {
  readonly total: number;
  readonly onProgress?: ProgressCallback;
  /** Bytes stored at offset 0 instead of the ones hashed there (the unfinished-write magic). */
  readonly storedPrefix?: Uint8Array;
}

export class ChunkWriter {
  private readonly buffers = [Buffer.alloc(CHUNK_SIZE), Buffer.alloc(CHUNK_SIZE)];
  private current = 0;
  /** Bytes filled in the current buffer, and how many of them are hashed already. */
  pos = 0;
  private hashed = 0;
  private sealed = false;
  private fileOffset = 0;
  private pending: Promise<void> = Promise.resolve();
  /** A failed background write, rethrown by the next flush or finish (never left as an unhandled rejection). */
  private failure: unknown = null;

  constructor(
    private readonly file: FileHandle,
    private readonly hash: Hash,
    private readonly options: ChunkWriterOptions,
  ) {}

  /** The buffer being filled; write at `pos` after `reserve`. */
  get buf(): Buffer {
    return this.buffers[this.current];
  }

  /** Bytes handed to the file so far plus those buffered. */
  get written(): number {
    return this.fileOffset + this.pos;
  }

  /** True when `n` more bytes fit in the current buffer. */
  hasRoom(n: number): boolean {
    return CHUNK_SIZE - this.pos >= n;
  }

  /** Makes room for `n` contiguous bytes (n <= CHUNK_SIZE). */
  async reserve(n: number): Promise<void> {
    if (CHUNK_SIZE - this.pos < n) await this.flush();
  }

  /** Appends bytes of any length. */
  async put(bytes: Uint8Array): Promise<void> {
    let from = 0;
    while (from < bytes.length) {
      if (this.pos === CHUNK_SIZE) await this.flush();
      const n = Math.min(bytes.length - from, CHUNK_SIZE - this.pos);
      this.buf.set(bytes.subarray(from, from + n), this.pos);
      this.pos += n;
      from += n;
    }
  }

  /** Hashes everything appended so far and returns the digest; later bytes are not hashed. */
  digest(): Buffer {
    this.hashPending();
    this.sealed = true;
    return this.hash.digest();
  }

  /** Writes out what is buffered and waits for every write. */
  async finish(): Promise<void> {
    await this.flush();
    await this.settle();
  }

  private async settle(): Promise<void> {
    await this.pending;
    if (this.failure !== null) throw this.failure;
  }

  private hashPending(): void {
    if (!this.sealed && this.pos > this.hashed) this.hash.update(this.buf.subarray(this.hashed, this.pos));
    this.hashed = this.pos;
  }

  private async flush(): Promise<void> {
    this.hashPending();
    const buf = this.buf;
    const length = this.pos;
    if (this.fileOffset === 0 && this.options.storedPrefix) buf.set(this.options.storedPrefix, 0);
    await this.settle();
    this.pending = this.writeOut(buf, length, this.fileOffset).catch((e: unknown) => { this.failure = e; });
    this.fileOffset += length;
    this.current ^= 1;
    this.pos = 0;
    this.hashed = 0;
  }

  private async writeOut(buf: Buffer, length: number, position: number): Promise<void> {
    let done = 0;
    while (done < length) {
      const { bytesWritten } = await this.file.write(buf, done, length - done, position + done);
      done += bytesWritten;
    }
    this.options.onProgress?.(position + length, this.options.total);
  }
}
