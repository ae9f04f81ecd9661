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

/**
 * Compiled blocks and entry heat counters, invalidated per frame. Blocks are found by RAM offset,
 * by the virtual pc they were compiled for (their jumps are virtual addresses) and by the address
 * space they were compiled for (they read its fast-path keys): a frame entered through another
 * virtual address, or from another address space over the same memory, is compiled again for it.
 */
export class CodeCache<Ctx = unknown> {
  /**
   * Non-zero for frames that hold compiled code (address spaces then send stores to them the slow
   * way). Shared memory: a CPU worker's cache of the same guest memory marks the same bytes, so the
   * main thread's address spaces see which frames hold code wherever it was compiled.
   */
  readonly marks: Uint8Array;
  /**
   * Set once a cache of the same memory exists on another thread (a CPU worker's replica): frames
   * whose code this cache drops are then listed in `drops`, for the other cache to drop too.
   */
  shared = false;
  private drops: number[] = [];
  /** Told when a frame gets its first compiled block (address spaces withdraw the frame's fast stores). */
  readonly onCode: ((frame: number) => void)[] = [];
  private readonly blocks: (Slots<Ctx> | undefined)[];
  private readonly entries: (Int32Array | undefined)[];
  /** Id of the address space the frame's blocks were compiled for. */
  private readonly owners: Int32Array;
  private readonly heat: (Uint8Array | undefined)[];
  /** Counts invalidations, so a caller can tell whether code changed under it. */
  generation = 0;

  /** `marks`: the shared marks of a cache of the same memory on another thread (a CPU worker's replica). */
  constructor(frames: number, marks?: Uint8Array) {
    this.marks = marks ?? new Uint8Array(new SharedArrayBuffer(frames));
    this.blocks = new Array<Slots<Ctx> | undefined>(frames).fill(undefined);
    this.entries = new Array<Int32Array | undefined>(frames).fill(undefined);
    this.owners = new Int32Array(frames);
    this.heat = new Array<Uint8Array | undefined>(frames).fill(undefined);
  }

  /** The block compiled at RAM offset `offset` for virtual pc `pc` of address space `owner` (its id), if any. */
  lookup(offset: number, pc: number, owner = 0): BlockFn<Ctx> | undefined {
    const frame = offset >>> FRAME_SHIFT;
    const slots = this.blocks[frame];
    if (slots === undefined || this.owners[frame] !== owner) return undefined;
    const slot = (offset >>> 2) & (SLOTS - 1);
    return this.entries[frame]![slot] === pc ? slots[slot] : undefined;
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

  /** Records a block compiled from the frame of RAM offset `offset`, entered at virtual pc `pc` of address space `owner`. */
  insert(offset: number, pc: number, fn: BlockFn<Ctx>, owner = 0): void {
    const frame = offset >>> FRAME_SHIFT;
    let slots = this.blocks[frame];
    if (slots === undefined || this.owners[frame] !== owner) {
      this.owners[frame] = owner;
      slots = new Array<BlockFn<Ctx> | undefined>(SLOTS).fill(undefined);
      this.blocks[frame] = slots;
      this.entries[frame] = new Int32Array(SLOTS);
    }
    const slot = (offset >>> 2) & (SLOTS - 1);
    slots[slot] = fn;
    this.entries[frame]![slot] = pc;
    if (this.marks[frame] !== 0) return;
    this.marks[frame] = 1;
    for (const tell of this.onCode) tell(frame);
  }

  /** Drops the compiled code of one frame (its memory was written). */
  invalidateFrame(frame: number): void {
    if (this.marks[frame] === 0) return;
    this.marks[frame] = 0;
    if (this.shared) this.drops.push(frame);
    this.blocks[frame] = undefined;
    this.entries[frame] = undefined;
    this.generation++;
  }

  /** Drops the frame's code whatever the marks say (another thread's cache dropped it and cleared them: `takeDrops`). */
  dropFrame(frame: number): void {
    if (this.blocks[frame] === undefined) return;
    this.blocks[frame] = undefined;
    this.entries[frame] = undefined;
    this.generation++;
  }

  /** Frames a cache elsewhere dropped (a peer's write through a grant mapping): passed on with `takeDrops`. */
  addDrops(frames: readonly number[]): void {
    if (this.shared) for (const f of frames) this.drops.push(f);
  }

  /** The frames another thread's cache of this memory must drop (see `drops`), once. */
  takeDrops(): number[] | null {
    if (this.drops.length === 0) return null;
    const out = this.drops;
    this.drops = [];
    return out;
  }

  /** Drops all compiled code (fence.i, restore). */
  flush(): void {
    for (let f = 0; f < this.marks.length; f++) if (this.marks[f] !== 0) this.invalidateFrame(f);
    this.generation++;
  }
}
