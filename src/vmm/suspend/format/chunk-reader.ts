/** Reads a file region front to back through two 1 MiB buffers (one read ahead), hashing each byte once (when asked). */
import type { Hash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { CHUNK_SIZE } from './layout.js';

/** Hash every byte below file offset `end` into `hash`. */
export interface ReaderHash {
  readonly hash: Hash;
  readonly end: number;
}

/** Room before each chunk for the unread tail of the previous one: the most `fill` makes contiguous. */
export const MAX_FILL = 64 * 1024;

interface Prefetch {
  readonly offset: number;
  readonly done: Promise<number | Error>;
}

export class ChunkReader {
  private readonly buffers: [Buffer, Buffer];
  /** Bytes read at a time: CHUNK_SIZE, or the region when it is smaller. */
  private readonly chunk: number;
  private current = 0;
  /** Cursor in `buf`; bytes [at, len) are read and not yet consumed. */
  at = 0;
  private len = 0;
  /** File offset of buf[0]. */
  private start: number;
  /** File offset of the next chunk to read, and the read of it already under way. */
  private next: number;
  private prefetch: Prefetch | null = null;

  constructor(
    private readonly file: FileHandle,
    from: number,
    /** File offset where the region ends; nothing at or past it is read. */
    private readonly end: number,
    private readonly hashing?: ReaderHash,
  ) {
    this.start = from;
    this.next = from;
    this.chunk = Math.max(1, Math.min(CHUNK_SIZE, end - from));
    this.buffers = [Buffer.allocUnsafe(MAX_FILL + this.chunk), Buffer.allocUnsafe(MAX_FILL + this.chunk)];
  }

  /** The buffer the cursor is in. */
  get buf(): Buffer {
    return this.buffers[this.current];
  }

  /** File offset of the cursor. */
  get offset(): number {
    return this.start + this.at;
  }

  available(): number {
    return this.len - this.at;
  }

  /** Makes `n` bytes (n <= MAX_FILL) contiguous at `at`; false when the region or the file ends first. */
  async fill(n: number): Promise<boolean> {
    while (this.len - this.at < n) {
      if (n > MAX_FILL) return false;
      const got = await this.nextChunk();
      if (got === 0) return false;
      this.switchTo(got);
    }
    return true;
  }

  /** A copy of the next `n` bytes (any length), or null when the region ends first. */
  async take(n: number): Promise<Buffer | null> {
    const out = Buffer.allocUnsafe(n);
    let done = 0;
    while (done < n) {
      if (this.available() === 0 && !(await this.fill(1))) return null;
      const k = Math.min(n - done, this.available());
      this.buf.copy(out, done, this.at, this.at + k);
      this.at += k;
      done += k;
    }
    return out;
  }

  /** Moves the cursor `n` bytes on (still reading and hashing what lies below the hash end); false at the region end. */
  async skip(n: number): Promise<boolean> {
    let left = n;
    while (left > this.available()) {
      left -= this.available();
      this.at = this.len;
      if (!this.hashing || this.offset >= this.hashing.end) return this.jump(left);
      if (!(await this.fill(1))) return false;
    }
    this.at += left;
    return true;
  }

  /** Reads (and hashes) up to file offset `offset`. */
  async skipTo(offset: number): Promise<boolean> {
    return offset >= this.offset ? this.skip(offset - this.offset) : false;
  }

  /** Moves the unread tail in front of the chunk just read into the other buffer, starts the next read, hashes. */
  private switchTo(got: number): void {
    const tail = this.len - this.at;
    const other = this.buffers[this.current ^ 1];
    this.buf.copy(other, MAX_FILL - tail, this.at, this.len);
    const chunkOffset = this.next;
    this.current ^= 1;
    this.start = chunkOffset - MAX_FILL;
    this.at = MAX_FILL - tail;
    this.len = MAX_FILL + got;
    this.next = chunkOffset + got;
    this.startPrefetch();
    this.hashRead(chunkOffset, got);
  }

  /** Bytes of the chunk at `next`, now in the other buffer at MAX_FILL (0 at the region or file end). */
  private async nextChunk(): Promise<number> {
    if (this.prefetch?.offset !== this.next) {
      if (this.prefetch) await this.prefetch.done;
      this.startPrefetch();
    }
    const p = this.prefetch;
    this.prefetch = null;
    const got = p ? await p.done : 0;
    if (got instanceof Error) throw got;
    return got;
  }

  private startPrefetch(): void {
    const want = Math.min(this.chunk, this.end - this.next);
    if (want <= 0) {
      this.prefetch = null;
      return;
    }
    const done = this.file
      .read(this.buffers[this.current ^ 1], MAX_FILL, want, this.next)
      .then(({ bytesRead }) => bytesRead, (e: unknown) => (e instanceof Error ? e : new Error(String(e))));
    this.prefetch = { offset: this.next, done };
  }

  private jump(n: number): boolean {
    if (this.offset + n > this.end) return false;
    this.start = this.offset + n;
    this.next = this.start;
    this.at = 0;
    this.len = 0;
    return true;
  }

  private hashRead(fileOffset: number, length: number): void {
    if (!this.hashing || fileOffset >= this.hashing.end) return;
    const n = Math.min(length, this.hashing.end - fileOffset);
    this.hashing.hash.update(this.buf.subarray(MAX_FILL, MAX_FILL + n));
  }
}
