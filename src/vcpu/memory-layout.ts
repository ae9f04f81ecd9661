/** Guest-physical memory layout constants: RAM base, frame size, access sizes. */

/** Guest-physical address where RAM starts. */
export const RAM_BASE = 0x8000_0000;

/** Size of one frame (page) of guest memory. */
export const FRAME_SIZE = 4096;
export const FRAME_SHIFT = 12;

/** Bytes in one access. */
export type AccessSize = 1 | 2 | 4;

/** Returned by a read that faults (all successful reads are 0..2^32-1). */
export const ACCESS_FAULT = -1;
