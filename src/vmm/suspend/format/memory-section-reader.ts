/** Second pass over one verified memory section: copies its frames into fresh RAM straight from the read buffer. */
import type { FileHandle } from 'node:fs/promises';
import { FRAME_SIZE } from '../../../vcpu/memory-layout.js';
import { ChunkReader } from './chunk-reader.js';
import { RECORD } from './layout.js';
import { bufferOf, type RamSource } from './memory-source.js';
import { ioError, snapErr, snapOk, type SnapshotResult } from './snapshot-errors.js';
import type { MemoryInfo } from './verified-layout.js';

/** RAM to restore into, as GuestMemory has it; it must be fresh (all zero), since zero frames are not in the file. */
export type RamTarget = RamSource;

/** Called once per stored frame with a view of its 4 KiB, valid only during the call. */
export type FrameVisitor = (frame: number, data: Uint8Array) => void;

export class MemorySectionReader {
  constructor(
    private readonly file: FileHandle,
    readonly path: string,
    readonly name: string,
    private readonly info: MemoryInfo,
  ) {}

  /** Size of the saved RAM in bytes. */
  get ramSize(): number {
    return this.info.ramSize;
  }

  /** Frames stored (the ones that were not all zero). */
  get frameCount(): number {
    return this.info.recordCount;
  }

  /** Copies every stored frame into `target` (same size as the saved RAM); returns the frames copied. */
  async restoreInto(target: RamTarget): Promise<SnapshotResult<number>> {
    if (target.size !== this.info.ramSize || target.u8.length < target.size) {
      return snapErr('SNAPSHOT_SIZE_MISMATCH', `snapshot ${this.path}: section "${this.name}" holds ${this.info.ramSize} bytes of RAM, the target has ${target.size}`);
    }
    const ram = bufferOf(target.u8, target.size);
    return this.scan((buf, at, frame) => { buf.copy(ram, frame * FRAME_SIZE, at + RECORD.DATA, at + RECORD.SIZE); });
  }

  /** Hands every stored frame, ascending, to `visit`; returns the frames visited. */
  async forEachFrame(visit: FrameVisitor): Promise<SnapshotResult<number>> {
    return this.scan((buf, at, frame) => visit(frame, buf.subarray(at + RECORD.DATA, at + RECORD.SIZE)));
  }

  private async scan(onRecord: (buf: Buffer, at: number, frame: number) => void): Promise<SnapshotResult<number>> {
    const { recordsOffset, recordCount, ramSize } = this.info;
    try {
      const r = new ChunkReader(this.file, recordsOffset, recordsOffset + recordCount * RECORD.SIZE);
      const frames = ramSize / FRAME_SIZE;
      let previous = -1;
      for (let i = 0; i < recordCount; i++) {
        if (r.available() < RECORD.SIZE && !(await r.fill(RECORD.SIZE))) return this.changed(r.offset);
        const frame = r.buf.readUInt32LE(r.at + RECORD.FRAME);
        if (frame <= previous || frame >= frames) return this.changed(r.offset);
        onRecord(r.buf, r.at, frame);
        previous = frame;
        r.at += RECORD.SIZE;
      }
      return snapOk(recordCount);
    } catch (e) {
      return ioError(`read section "${this.name}"`, this.path, e);
    }
  }

  /** The verified file no longer reads the same (something wrote into it in place, which Cella never does). */
  private changed(offset: number): SnapshotResult<number> {
    return snapErr('SNAPSHOT_CORRUPT', `snapshot ${this.path}: section "${this.name}" changed after it was verified`, offset);
  }
}
