/**
 * Which virtual addresses an address space of a suspend file maps, from its page table's runs
 * (page-table-sections.ts): what a saved pc or program break is checked against, now that a program
 * may be linked outside RAM (at 0x10000, as for Linux) and sees its memory through a page table.
 */
import type { AddressSpaceState } from '../../../vcpu/address-space.persist.js';
import { PAGE_SHIFT } from '../../../vcpu/page-table-entry.js';

export interface AddressMap {
  /** Whether the page of `addr` is mapped. */
  maps(addr: number): boolean;
  /** Whether every page of [from, to) is mapped (an empty range is). */
  mapsRange(from: number, to: number): boolean;
}

export function addressMap(state: AddressSpaceState): AddressMap {
  const runs = state.runs;
  /** The run holding page `vpn`, or -1 (runs are ascending and disjoint: checked when read). */
  const runOf = (vpn: number): number => {
    let lo = 0;
    let hi = runs.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const [first, count] = runs[mid];
      if (vpn < first) hi = mid - 1;
      else if (vpn >= first + count) lo = mid + 1;
      else return mid;
    }
    return -1;
  };
  return {
    maps: (addr) => runOf(addr >>> PAGE_SHIFT) >= 0,
    mapsRange(from, to) {
      let vpn = from >>> PAGE_SHIFT;
      const end = Math.ceil(to / 2 ** PAGE_SHIFT);
      while (vpn < end) {
        const i = runOf(vpn);
        if (i < 0) return false;
        vpn = runs[i][0] + runs[i][1];
      }
      return true;
    },
  };
}
