/** Compiled guest code of one guest memory, by frame, shared by all vCPUs of the domain. */
import { FRAME_SHIFT, FRAME_SIZE } from './memory-layout.js';

/** Instruction slots per frame. */
const SLOTS = FRAME_SIZE / 4;

/**
 * A compiled block: runs guest code from its entry pc on registers `x`, retiring at most `lim`
 * instructions; returns how many it retired and leaves the next pc in `ctx.pc`.
 */
export type BlockFn<Ctx> = (x: Int32Array, ctx: Ctx, lim: number) => number;

type Slots<Ctx> = (BlockFn<Ctx> | undefined)[];

/** Compiled blocks and entry heat counters, invalidated per frame. */
export class CodeCache<Ctx = unknown> {
  /** Non-zero for frames that hold compiled code; guest stores check it on their fast path. */
  readonly marks: Uint8Array;
  private readonly blocks: (Slots<Ctx> | undefined)[];
  private readonly heat: (Uint8Array | undefined)[];
  /** Counts invalidations, so a caller can tell whether code changed under it. */
  generation = 0;

  constructor(frames: number) {
    this.marks = new Uint8Array(frames);
    this.blocks = new Array<Slots<Ctx> | undefined>(frames).fill(undefined);
    this.heat = new Array<Uint8Array | undefined>(frames).fill(undefined);
  }

  /** The block compiled at RAM offset `offset`, if any. */
  lookup(offset: number): BlockFn<Ctx> | undefined {
    const slots = this.blocks[offset >>> FRAME_SHIFT];
    return slots === undefined ? undefined : slots[(offset >>> 2) & (SLOTS - 1)];
  }

  /** Counts one more entry at RAM offset `offset` into code not compiled yet; returns the count (max 255). */
  warm(offset: number): number {
    const frame = offset >>> FRAME_SHIFT;
    let heat = this.heat[frame];
    if (heat === undefined) { heat = new Uint8Array(SLOTS); this.heat[frame] = heat; }
    const slot = (offset >>> 2) & (SLOTS - 1);
    if (heat[slot] < 255) heat[slot]++;
    return heat[slot];
  }

  /** Records a block compiled from the frame of RAM offset `offset`. */
  insert(offset: number, fn: BlockFn<Ctx>): void {
    const frame = offset >>> FRAME_SHIFT;
    let slots = this.blocks[frame];
    if (slots === undefined) {
      slots = new Array<BlockFn<Ctx> | undefined>(SLOTS).fill(undefined);
      this.blocks[frame] = slots;
    }
    slots[(offset >>> 2) & (SLOTS - 1)] = fn;
    this.marks[frame] = 1;
  }

  /** Drops the compiled code of one frame (its memory was written). */
  invalidateFrame(frame: number): void {
    if (this.marks[frame] === 0) return;
    this.marks[frame] = 0;
    this.blocks[frame] = undefined;
    this.generation++;
  }

  /** Drops all compiled code (fence.i, restore). */
  flush(): void {
    for (let f = 0; f < this.marks.length; f++) if (this.marks[f] !== 0) this.invalidateFrame(f);
    this.generation++;
  }
}
