/** Guest RAM as the writer sees it: a GuestMemory-like buffer or a frame iterator, and where its non-zero frames are. */
import { FRAME_SHIFT, FRAME_SIZE } from '../../../vcpu/memory-layout.js';

/** RAM in one buffer, as GuestMemory has it (`size` bytes of `u8`). */
export interface RamSource {
  readonly size: number;
  readonly u8: Uint8Array;
}

/** One frame handed over by a FrameSource; `data` is FRAME_SIZE bytes and only read during the step. */
export interface FrameRef {
  readonly frame: number;
  readonly data: Uint8Array;
}

/** RAM as frames in ascending order; frames left out are zero, all-zero frames may be included. Iterated twice. */
export interface FrameSource {
  readonly size: number;
  frames(): Iterable<FrameRef>;
}

export type MemorySource = RamSource | FrameSource;

export function isRamSource(source: MemorySource): source is RamSource {
  return 'u8' in source;
}

const ZERO_FRAME = Buffer.alloc(FRAME_SIZE);

/** A Buffer over the same bytes (no copy). */
export function bufferOf(u8: Uint8Array, length = u8.length): Buffer {
  return Buffer.from(u8.buffer, u8.byteOffset, length);
}

/** True when the frame at byte offset `off` of `ram` is all zero (a native memcmp; untouched frames share the zero page). */
export function isZeroFrame(ram: Buffer, off: number): boolean {
  return ram.compare(ZERO_FRAME, 0, FRAME_SIZE, off, off + FRAME_SIZE) === 0;
}

/** Frame numbers of the non-zero frames of a RAM buffer, ascending (one u32 per non-zero frame, no copy of RAM). */
export function nonZeroFrames(source: RamSource): Uint32Array {
  const count = source.size >>> FRAME_SHIFT;
  const ram = bufferOf(source.u8, source.size);
  const found = new Uint32Array(count);
  let n = 0;
  for (let f = 0; f < count; f++) if (!isZeroFrame(ram, f * FRAME_SIZE)) found[n++] = f;
  return found.slice(0, n);
}
