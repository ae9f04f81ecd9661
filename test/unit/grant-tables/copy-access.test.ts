import { describe, expect, it } from 'vitest';
import { DOMID_SELF } from '../../../src/grant-tables/grant-domain.js';
import { GNTCOPY, GNTMAP, GTF } from '../../../src/grant-tables/grant-flags.js';
import type { GrantCopyOp } from '../../../src/grant-tables/grant-copy.js';
import { GNTST } from '../../../src/grant-tables/grant-status.js';
import { RAM_BASE } from '../../../src/vcpu/memory-layout.js';
import { TABLE, W, data, entryFlags, gfn, grantWorld, guestGrant } from './support.js';

const SRC = GNTCOPY.source_gref;
const DST = GNTCOPY.dest_gref;

function bytes(n: number, seed: number): Uint8Array {
  return Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed) & 0xff);
}

describe('copy', () => {
  it('copies from a grant into the caller\'s own frame and back into a writable grant', () => {
    const w = grantWorld();
    w.mem(1).write(data(0) + 100, bytes(64, 3));
    guestGrant(w, 1, 8, 2, data(0));
    const ops: GrantCopyOp[] = [
      { source: { u: 8, domid: 1, offset: 100 }, dest: { u: gfn(data(5)), domid: DOMID_SELF, offset: 0 }, len: 64, flags: SRC },
      { source: { u: gfn(data(5)), domid: DOMID_SELF, offset: 0 }, dest: { u: 8, domid: 1, offset: 4000 }, len: 64, flags: DST },
    ];
    expect(w.gt.copy(2, ops)).toEqual([GNTST.okay, GNTST.okay]);
    expect(w.mem(2).read(data(5), 64)).toEqual(bytes(64, 3));
    expect(w.mem(1).read(data(0) + 4000, 64)).toEqual(bytes(64, 3));
    expect(entryFlags(w, 1, 8)).toBe(GTF.permit_access);
  });

  it('copies grant to grant between two granters', () => {
    const w = grantWorld();
    w.mem(1).write(data(0), bytes(16, 9));
    guestGrant(w, 1, 8, 3, data(0), true);
    guestGrant(w, 2, 8, 3, data(1));
    expect(w.gt.copy(3, [{ source: { u: 8, domid: 1, offset: 0 }, dest: { u: 8, domid: 2, offset: 8 }, len: 16, flags: SRC | DST }]))
      .toEqual([GNTST.okay]);
    expect(w.mem(2).read(data(1) + 8, 16)).toEqual(bytes(16, 9));
  });

  it('reports each error path per element, and never copies past a frame', () => {
    const w = grantWorld();
    guestGrant(w, 1, 8, 2, data(0), true);
    guestGrant(w, 1, 9, 3, data(0));
    guestGrant(w, 1, 10, 2, RAM_BASE + 0x200000);
    const own = (offset = 0) => ({ u: gfn(data(5)), domid: DOMID_SELF, offset });
    const g = (u: number, domid = 1, offset = 0) => ({ u, domid, offset });
    const res = w.gt.copy(2, [
      { source: g(8), dest: { u: gfn(data(5)), domid: 2, offset: 0 }, len: 4, flags: SRC },
      { source: g(8, 9), dest: own(), len: 4, flags: SRC },
      { source: own(), dest: g(8, 9), len: 4, flags: DST },
      { source: g(600), dest: own(), len: 4, flags: SRC },
      { source: g(9), dest: own(), len: 4, flags: SRC },
      { source: own(), dest: g(8), len: 4, flags: DST },
      { source: g(10), dest: own(), len: 4, flags: SRC },
      { source: { u: 0x7_0000, domid: DOMID_SELF, offset: 0 }, dest: g(8), len: 4, flags: DST },
      { source: g(8, 1, 4000), dest: own(), len: 97, flags: SRC },
      { source: g(8), dest: own(4095), len: 2, flags: SRC },
      { source: g(8, 1, 4000), dest: own(), len: 96, flags: SRC },
    ]);
    expect(res).toEqual([
      GNTST.permission_denied, GNTST.bad_domain, GNTST.bad_domain, GNTST.bad_gntref, GNTST.general_error,
      GNTST.general_error, GNTST.bad_page, GNTST.bad_page, GNTST.bad_copy_arg, GNTST.bad_copy_arg, GNTST.okay,
    ]);
  });

  it('refuses a grant pinned by another domain, and a dying granter', () => {
    const w = grantWorld();
    guestGrant(w, 1, 8, 2, data(0));
    expect(w.gt.mapGrantRef(2, [{ hostAddr: W, flags: GNTMAP.host_map, ref: 8, dom: 1 }])[0]!.status).toBe(GNTST.okay);
    w.mem(1).store(TABLE + 8 * 8 + 2, 2, 3);
    const op: GrantCopyOp = { source: { u: 8, domid: 1, offset: 0 }, dest: { u: gfn(data(5)), domid: DOMID_SELF, offset: 0 }, len: 4, flags: SRC };
    expect(w.gt.copy(3, [op])).toEqual([GNTST.general_error]);
    expect(w.gt.copy(2, [op])).toEqual([GNTST.okay]);
    w.doms.get(1)!.dying = true;
    expect(w.gt.copy(2, [op])).toEqual([GNTST.bad_domain]);
  });
});

describe('end of foreign access', () => {
  it('is refused while the grant is mapped and succeeds after the unmap', () => {
    const w = grantWorld();
    guestGrant(w, 1, 8, 2, data(0));
    const r = w.gt.mapGrantRef(2, [{ hostAddr: W, flags: GNTMAP.host_map | GNTMAP.readonly, ref: 8, dom: 1 }])[0]!;
    expect(w.gt.endForeignAccess(1, 8)).toBe(false);
    expect(entryFlags(w, 1, 8) & (GTF.reading | GTF.writing)).toBe(GTF.reading);
    expect(w.mem(2).load(W, 1)).toBe(0);
    w.gt.unmapGrantRef(2, [{ hostAddr: W, devBusAddr: 0, handle: r.handle }]);
    expect(w.gt.endForeignAccess(1, 8)).toBe(true);
    expect(entryFlags(w, 1, 8)).toBe(0);
    expect(w.gt.mapGrantRef(2, [{ hostAddr: W, flags: GNTMAP.host_map, ref: 8, dom: 1 }])[0]!.status).toBe(GNTST.general_error);
    expect(w.gt.endForeignAccess(1, 9999)).toBe(false);
    expect(w.gt.endForeignAccess(9, 8)).toBe(false);
  });

  it('keeps a mapping working when the granter clears its entry anyway (Xen never revokes)', () => {
    const w = grantWorld();
    guestGrant(w, 1, 8, 2, data(0));
    w.gt.mapGrantRef(2, [{ hostAddr: W, flags: GNTMAP.host_map, ref: 8, dom: 1 }]);
    w.mem(1).store(TABLE + 8 * 8, 2, 0);
    w.mem(2).store(W, 4, 0xabcd);
    expect(w.mem(1).load(data(0), 4)).toBe(0xabcd);
  });

  it('grants through the PV helper, from ref 8 up', () => {
    const w = grantWorld();
    const ref = w.gt.freeRef(1);
    expect(ref).toBe(8);
    expect(w.gt.grantAccess(1, ref, 2, data(3), false)).toBe(true);
    expect(w.gt.freeRef(1)).toBe(9);
    expect(w.gt.grantAccess(1, 512, 2, data(3), false)).toBe(false);
    expect(w.gt.mapGrantRef(2, [{ hostAddr: W, flags: GNTMAP.host_map, ref, dom: 1 }])[0]!.status).toBe(GNTST.okay);
    expect(w.gt.freeRef(9)).toBe(-1);
  });
});
