/** Where vchan ends get 4 KiB frames: a server's RAM frames for the shared pages, a client's mapping-window slots. */
import { FRAME_SIZE } from '../../vcpu/memory-layout.js';

/**
 * Runs of consecutive frames, by guest-physical address. A server allocates its control page and each
 * ring from a range of its own RAM set aside by its kernel; a client allocates the slots of its
 * grant-mapping window where the server's frames appear.
 */
export interface FrameAllocator {
  /** The first address of `count` free consecutive frames, now taken; undefined when there is no such run. */
  alloc(count: number): number | undefined;
  /** Gives back `count` frames from `addr` (taken earlier). */
  free(addr: number, count: number): void;
}

export interface FrameRangeState { base: number; frames: number; used: number[] }

/** A first-fit allocator over `frames` frames from `base` (frame-aligned). */
export class FrameRange implements FrameAllocator {
  private readonly used: Uint8Array;

  constructor(readonly base: number, readonly frames: number) {
    if (!Number.isInteger(base) || base % FRAME_SIZE !== 0 || !Number.isInteger(frames) || frames <= 0) {
      throw new RangeError(`frame range 0x${base.toString(16)} × ${frames} must be frame-aligned and non-empty`);
    }
    this.used = new Uint8Array(frames);
  }

  alloc(count: number): number | undefined {
    if (!Number.isInteger(count) || count <= 0) return undefined;
    let run = 0;
    for (let i = 0; i < this.frames; i++) {
      run = this.used[i] === 0 ? run + 1 : 0;
      if (run === count) {
        this.used.fill(1, i + 1 - count, i + 1);
        return this.base + (i + 1 - count) * FRAME_SIZE;
      }
    }
    return undefined;
  }

  free(addr: number, count: number): void {
    const first = (addr - this.base) / FRAME_SIZE;
    if (!Number.isInteger(first) || first < 0 || first + count > this.frames) return;
    this.used.fill(0, first, first + count);
  }

  /** Frames in use. */
  inUse(): number {
    let n = 0;
    for (const u of this.used) n += u;
    return n;
  }

  save(): FrameRangeState {
    const used: number[] = [];
    for (let i = 0; i < this.frames; i++) if (this.used[i] !== 0) used.push(i);
    return { base: this.base, frames: this.frames, used };
  }

  static restore(state: FrameRangeState): FrameRange {
    const r = new FrameRange(state.base, state.frames);
    for (const i of state.used) if (Number.isInteger(i) && i >= 0 && i < state.frames) r.used[i] = 1;
    return r;
  }
}
