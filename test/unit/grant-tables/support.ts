import type { GrantDomain } from '../../../src/grant-tables/grant-domain.js';
import { GRANT_MAP_WINDOW_BASE } from '../../../src/grant-tables/grant-domain.js';
import { GrantTables } from '../../../src/grant-tables/grant-tables.js';
import { GTF } from '../../../src/grant-tables/grant-flags.js';
import { ForeignFrameWindow } from '../../../src/vcpu/foreign-frame-window.js';
import { GuestMemory } from '../../../src/vcpu/guest-memory.js';
import { RAM_BASE } from '../../../src/vcpu/memory-layout.js';

export const W = GRANT_MAP_WINDOW_BASE;
/** Where each test domain keeps its grant table (one frame) and its data frames. */
export const TABLE = RAM_BASE + 0x1000;
export const data = (i: number): number => RAM_BASE + 0x10000 + i * 0x1000;
export const gfn = (gpa: number): number => gpa / 0x1000;

export class TestGrantDomain implements GrantDomain {
  dying = false;
  readonly foreignFrames: ForeignFrameWindow | null;
  constructor(readonly domid: number, readonly memory: GuestMemory | null) {
    this.foreignFrames = memory ? new ForeignFrameWindow() : null;
    if (memory && this.foreignFrames) memory.outside = this.foreignFrames;
  }
  get privileged(): boolean { return this.domid === 0; }
}

export interface GrantWorld {
  gt: GrantTables;
  doms: Map<number, TestGrantDomain>;
  add(domid: number): TestGrantDomain;
  mem(domid: number): GuestMemory;
}

/** dom0 (no RAM, no window) and domains 1..n with `ramBytes` of RAM, each with a one-frame table at TABLE. */
export function grantWorld(n = 3, ramBytes = 1 << 20): GrantWorld {
  const doms = new Map<number, TestGrantDomain>();
  const gt = new GrantTables({ domain: (id) => doms.get(id) });
  const add = (domid: number): TestGrantDomain => {
    const d = new TestGrantDomain(domid, domid === 0 ? null : new GuestMemory(ramBytes));
    doms.set(domid, d);
    return d;
  };
  add(0);
  for (let i = 1; i <= n; i++) {
    add(i);
    gt.setupTable(i, i, [TABLE]);
  }
  return { gt, doms, add, mem: (id) => doms.get(id)!.memory! };
}

/** Guest code of `granter` writes entry `ref` in its own table: domid, frame, then flags. */
export function guestGrant(w: GrantWorld, granter: number, ref: number, grantee: number, gpa: number, readonly = false): void {
  const m = w.mem(granter);
  const at = TABLE + ref * 8;
  m.store(at + 2, 2, grantee);
  m.store(at + 4, 4, gfn(gpa));
  m.store(at, 2, GTF.permit_access | (readonly ? GTF.readonly : 0));
}

/** The entry's flags as the granter's guest code sees them. */
export const entryFlags = (w: GrantWorld, granter: number, ref: number): number => w.mem(granter).load(TABLE + ref * 8, 2);
