/**
 * Plain-data (JSON-able) state of an address space: its page table as runs, each a row of virtual
 * pages mapping a row of frames with the same stored flags. FAST_STORE is not state: it is derived
 * again when the pages are mapped. A loaded program is a handful of runs (one when it is linked in
 * RAM: image, break and stack are one row at their own addresses).
 */
import type { AddressSpace } from './address-space.js';
import { FRAME_SHIFT, RAM_BASE } from './memory-layout.js';
import { PAGE_COUNT, PAGE_SHIFT, PTE, PTE_OPEN, PTE_STORED_FLAGS, frameOf } from './page-table-entry.js';

/** [first virtual page, page count, first frame, flags]. */
export type PageRun = [number, number, number, number];

export interface AddressSpaceState {
  /** Ascending by first page, disjoint. */
  runs: PageRun[];
}

/** The runs of `space`'s page table. */
export function saveAddressSpace(space: AddressSpace): AddressSpaceState {
  const runs: PageRun[] = [];
  let run: PageRun | undefined;
  for (let vpn = 0; vpn < PAGE_COUNT; vpn++) {
    const e = space.pte[vpn];
    if (e === 0) { run = undefined; continue; }
    const frame = frameOf(e), flags = e & PTE_STORED_FLAGS;
    if (run !== undefined && run[0] + run[1] === vpn && run[2] + run[1] === frame && run[3] === flags) run[1]++;
    else { run = [vpn, 1, frame, flags]; runs.push(run); }
  }
  return { runs };
}

/** The state of `AddressSpace.identity` over a memory of `size` bytes (what every vCPU had before address spaces). */
export function identityState(size: number): AddressSpaceState {
  return { runs: [[RAM_BASE >>> PAGE_SHIFT, size >>> FRAME_SHIFT, 0, PTE_OPEN]] };
}

/** Why `state` cannot be the page table of a memory of `frames` frames, or undefined when it can. */
export function checkAddressSpaceState(state: AddressSpaceState, frames: number): string | undefined {
  let next = 0;
  for (const [i, [vpn, count, frame, flags]] of state.runs.entries()) {
    if (![vpn, count, frame, flags].every(Number.isSafeInteger)) return `run ${i}: not integers`;
    if (count < 1 || vpn < next || vpn + count > PAGE_COUNT) return `run ${i}: pages ${vpn}+${count} are not ascending, disjoint and below ${PAGE_COUNT}`;
    if (frame < 0 || frame + count > frames) return `run ${i}: frames ${frame}+${count} are not in a memory of ${frames} frames`;
    if ((flags & ~PTE_STORED_FLAGS) !== 0 || (flags & PTE.VALID) === 0) return `run ${i}: flags 0x${flags.toString(16)} are not a valid page's`;
    next = vpn + count;
  }
  return undefined;
}

/** Replaces `space`'s page table by `state` (checked first: on a bad state it throws and changes nothing). */
export function restoreAddressSpace(space: AddressSpace, state: AddressSpaceState): void {
  const problem = checkAddressSpaceState(state, space.memory.size >>> FRAME_SHIFT);
  if (problem !== undefined) throw new Error(`page table: ${problem}`);
  for (let vpn = 0; vpn < PAGE_COUNT; vpn++) if (space.pte[vpn] !== 0) space.unmap(vpn);
  for (const [vpn, count, frame, flags] of state.runs) {
    for (let k = 0; k < count; k++) space.map(vpn + k, frame + k, flags);
  }
}
