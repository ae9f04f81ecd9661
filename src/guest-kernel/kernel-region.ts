/** Where the PV kernel of a VM sits in its RAM: the base of a static-pie kernel, and the top of its break kept for the kernel itself. */
import type { AddressSpace } from '../vcpu/address-space.js';
import { FRAME_SIZE } from '../vcpu/memory-layout.js';
import { FrameRange } from '../qrexec/vchan/frame-allocator.js';

/**
 * Where a static-pie kernel (ET_DYN) is loaded: at 0x10000, where ld links executables. Not at
 * the loader's default (qemu's 0x4000_0000), which is the start of the grant-mapping window.
 */
export const KERNEL_DYN_BASE = 0x1_0000;

/** RAM the PV kernel keeps for itself, below the guest's stack: grant-table frames and frames for vchan rings. */
export const KERNEL_GRANT_FRAMES = 16;
export const KERNEL_RESERVED_MAX = 8 * 1024 * 1024;

/**
 * The top of the kernel's break kept for the PV kernel itself: `base` (where the guest's break
 * must stop, a virtual address) and the guest-physical frames there (the break's frames are one
 * row, so the region is too; for a kernel linked in RAM they are the same addresses).
 */
export function kernelRegion(space: AddressSpace, brkStart: number, brkLimit: number): { base: number; grantTable: number[]; frames: FrameRange } {
  const room = Math.floor((brkLimit - brkStart) / 4 / FRAME_SIZE) * FRAME_SIZE;
  const size = Math.max(2 * KERNEL_GRANT_FRAMES * FRAME_SIZE, Math.min(KERNEL_RESERVED_MAX, room));
  const base = brkLimit - size;
  const gpa = space.physicalAddress(base);
  if (gpa === undefined) throw new Error(`the kernel's break does not map 0x${base.toString(16)}`);
  const grantTable = Array.from({ length: KERNEL_GRANT_FRAMES }, (_, i) => gpa + i * FRAME_SIZE);
  return { base, grantTable, frames: new FrameRange(gpa + KERNEL_GRANT_FRAMES * FRAME_SIZE, size / FRAME_SIZE - KERNEL_GRANT_FRAMES) };
}

