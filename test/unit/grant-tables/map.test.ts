import { describe, expect, it } from 'vitest';
import { DOMID_SELF } from '../../../src/grant-tables/grant-domain.js';
import { GNTMAP, GTF } from '../../../src/grant-tables/grant-flags.js';
import { GNTST } from '../../../src/grant-tables/grant-status.js';
import { ACCESS_FAULT, RAM_BASE } from '../../../src/vcpu/memory-layout.js';
import { StoreResult } from '../../../src/vcpu/guest-memory.js';
import { R, bareMachine, enc, li } from '../vcpu/support/bare-machine.js';
import { TABLE, TestGrantDomain, W, data, entryFlags, grantWorld, guestGrant, type GrantWorld } from './support.js';

const HOST = GNTMAP.host_map;
const RO = GNTMAP.host_map | GNTMAP.readonly;

function map1(w: GrantWorld, mapper: number, ref: number, dom: number, flags = HOST, hostAddr = W) {
  return w.gt.mapGrantRef(mapper, [{ hostAddr, flags, ref, dom }])[0]!;
}

describe('map_grant_ref', () => {
  it('maps the granter\'s frame itself: the mapper reads and writes it in place through its window', () => {
    const w = grantWorld();
    w.mem(1).store(data(0) + 16, 4, 0xcafe_f00d);
    guestGrant(w, 1, 8, 2, data(0));
    const r = map1(w, 2, 8, 1);
    expect(r).toEqual({ status: GNTST.okay, handle: 0, devBusAddr: 0 });
    expect(w.mem(2).load(W + 16, 4)).toBe(0xcafe_f00d);
    expect(w.mem(2).store(W + 20, 4, 0x1234)).toBe(StoreResult.OK);
    expect(w.mem(1).load(data(0) + 20, 4)).toBe(0x1234);
    expect(w.mem(2).load(W + 0x1000, 4)).toBe(ACCESS_FAULT);
  });

  it('sets GTF_reading|GTF_writing in the granter\'s entry while mapped, and pins it', () => {
    const w = grantWorld();
    guestGrant(w, 1, 8, 2, data(0));
    map1(w, 2, 8, 1);
    expect(entryFlags(w, 1, 8)).toBe(GTF.permit_access | GTF.reading | GTF.writing);
    expect(w.gt.dump().find((d) => d.domid === 1)!.active).toEqual([
      { ref: 8, mapper: 2, pin: 1, hostWritable: 1, hostReadonly: 0, flags: 0x19, domid: 2, frame: data(0) / 4096 },
    ]);
  });

  it('maps read-only with GTF_reading only; guest writes through it fault', () => {
    const w = grantWorld();
    guestGrant(w, 1, 8, 2, data(0), true);
    expect(map1(w, 2, 8, 1, HOST).status).toBe(GNTST.general_error);
    expect(map1(w, 2, 8, 1, RO).status).toBe(GNTST.okay);
    expect(entryFlags(w, 1, 8)).toBe(GTF.permit_access | GTF.readonly | GTF.reading);
    expect(w.mem(2).store(W, 4, 1)).toBe(StoreResult.FAULT);
    const { vcpu, memory } = bareMachine([...li(R.t0, W), enc.load('lw', R.a0, R.t0, 0), enc.store('sw', R.a0, R.t0, 4)]);
    w.mem(1).store(data(0), 4, 77);
    const d3 = new TestGrantDomain(3, memory);
    w.doms.set(3, d3);
    guestGrant(w, 1, 9, 3, data(0), true);
    expect(map1(w, 3, 9, 1, RO).status).toBe(GNTST.okay);
    expect(vcpu.run(10)).toMatchObject({ reason: 'fault', tval: W + 4 });
    expect(vcpu.x[R.a0]).toBe(77);
  });

  it('checks in Xen\'s order: flags, granter, maptrack space, ref, pin owner, entry, frame, host address', () => {
    const w = grantWorld();
    guestGrant(w, 1, 8, 2, data(0));
    expect(map1(w, 2, 8, 1, GNTMAP.readonly).status).toBe(GNTST.bad_gntref);
    expect(map1(w, 2, 8, 1, HOST | GNTMAP.device_map).status).toBe(GNTST.general_error);
    expect(map1(w, 2, 8, 1, HOST | GNTMAP.application_map).status).toBe(GNTST.general_error);
    expect(map1(w, 2, 8, 1, HOST | GNTMAP.contains_pte).status).toBe(GNTST.general_error);
    expect(map1(w, 2, 8, 9).status).toBe(GNTST.bad_domain);
    expect(map1(w, 1, 8, DOMID_SELF).status).toBe(GNTST.bad_domain);
    expect(map1(w, 2, 512, 1).status).toBe(GNTST.bad_gntref);
    expect(map1(w, 2, -1, 1).status).toBe(GNTST.bad_gntref);
    expect(map1(w, 3, 8, 1).status).toBe(GNTST.general_error);
    expect(map1(w, 2, 9, 1).status).toBe(GNTST.general_error);
    guestGrant(w, 1, 10, 2, RAM_BASE + 0x100000);
    expect(map1(w, 2, 10, 1).status).toBe(GNTST.bad_page);
    expect(map1(w, 2, 8, 1, HOST, W + 8).status).toBe(GNTST.general_error);
    expect(map1(w, 2, 8, 1, HOST, RAM_BASE).status).toBe(GNTST.general_error);
    expect(map1(w, 2, 8, 1, HOST, 0x1000).status).toBe(GNTST.general_error);
    expect(entryFlags(w, 1, 8)).toBe(GTF.permit_access);
    expect(map1(w, 2, 8, 1).status).toBe(GNTST.okay);
    expect(map1(w, 2, 8, 1, HOST, W).status).toBe(GNTST.general_error);
    guestGrant(w, 1, 11, 3, data(1));
    expect(map1(w, 3, 8, 1, HOST, W).status).toBe(GNTST.general_error);
  });

  it('refuses a grant of another type or for another domain, and self-maps with the real domid', () => {
    const w = grantWorld();
    guestGrant(w, 1, 8, 2, data(0));
    w.mem(1).store(TABLE + 8 * 8, 2, GTF.accept_transfer);
    expect(map1(w, 2, 8, 1).status).toBe(GNTST.general_error);
    w.mem(1).store(TABLE + 8 * 8, 2, GTF.permit_access | GTF.sub_page);
    expect(map1(w, 2, 8, 1).status).toBe(GNTST.general_error);
    guestGrant(w, 1, 9, 1, data(0));
    expect(map1(w, 1, 9, 1).status).toBe(GNTST.okay);
    w.mem(1).store(data(0), 4, 5);
    expect(w.mem(1).load(W, 4)).toBe(5);
  });

  it('gives no_space when the maptrack is full, before looking at the ref', () => {
    const w = grantWorld(0);
    w.add(1); w.add(2);
    w.gt.addDomain(2, { maxMaptrackFrames: 0 });
    w.gt.setupTable(1, 1, [TABLE]);
    expect(map1(w, 2, 5000, 1).status).toBe(GNTST.no_space);
  });

  it('gives no new mapping of a dying granter (bad_domain)', () => {
    const w = grantWorld();
    guestGrant(w, 1, 8, 2, data(0));
    w.doms.get(1)!.dying = true;
    expect(map1(w, 2, 8, 1).status).toBe(GNTST.bad_domain);
  });

  it('does not re-validate further read-only mappings of a pinned entry', () => {
    const w = grantWorld();
    guestGrant(w, 1, 8, 2, data(0));
    expect(map1(w, 2, 8, 1, RO).status).toBe(GNTST.okay);
    w.mem(1).store(TABLE + 8 * 8 + 2, 2, 3);
    expect(map1(w, 2, 8, 1, RO, W + 0x1000).status).toBe(GNTST.okay);
    expect(map1(w, 2, 8, 1, HOST, W + 0x2000).status).toBe(GNTST.general_error);
  });

  it('refuses a new pin once a counter reaches 128 (Xen\'s overflow guard)', () => {
    const w = grantWorld();
    guestGrant(w, 1, 8, 2, data(0));
    const ops = Array.from({ length: 129 }, (_, i) => ({ hostAddr: W + i * 0x1000, flags: RO, ref: 8, dom: 1 }));
    const res = w.gt.mapGrantRef(2, ops);
    expect(res.slice(0, 128).every((r) => r.status === GNTST.okay)).toBe(true);
    expect(res[128]!.status).toBe(GNTST.general_error);
  });

  it('reports a status per element of a batch and maps the good ones', () => {
    const w = grantWorld();
    guestGrant(w, 1, 8, 2, data(0));
    guestGrant(w, 1, 9, 2, data(1), true);
    const res = w.gt.mapGrantRef(2, [
      { hostAddr: W, flags: HOST, ref: 8, dom: 1 },
      { hostAddr: W + 0x1000, flags: HOST, ref: 9, dom: 1 },
      { hostAddr: W + 0x1000, flags: RO, ref: 9, dom: 1 },
      { hostAddr: W + 0x2000, flags: RO, ref: 7, dom: 1 },
    ]);
    expect(res.map((r) => r.status)).toEqual([GNTST.okay, GNTST.general_error, GNTST.okay, GNTST.general_error]);
    expect(res.map((r) => r.handle)).toEqual([0, -1, 1, -1]);
  });

  it('lets a window-less mapper (dom0\'s host code) reach the frame through mappedFrame', () => {
    const w = grantWorld();
    guestGrant(w, 1, 8, 0, data(2));
    const r = map1(w, 0, 8, 1, RO);
    expect(r.status).toBe(GNTST.okay);
    expect(w.gt.mappedFrame(0, r.handle)).toEqual({ memory: w.mem(1), addr: data(2), writable: false });
    expect(map1(w, 0, 8, 1, RO).status).toBe(GNTST.general_error);
    expect(w.gt.mappedFrame(0, 7)).toBeUndefined();
  });
});

describe('unmap_grant_ref', () => {
  it('clears GTF_writing with the last writable mapping and GTF_reading with the last one', () => {
    const w = grantWorld();
    guestGrant(w, 1, 8, 2, data(0));
    const a = map1(w, 2, 8, 1, HOST, W);
    const b = map1(w, 2, 8, 1, RO, W + 0x1000);
    expect(w.gt.unmapGrantRef(2, [{ hostAddr: W, devBusAddr: 0, handle: a.handle }])).toEqual([GNTST.okay]);
    expect(entryFlags(w, 1, 8)).toBe(GTF.permit_access | GTF.reading);
    expect(w.mem(2).load(W, 4)).toBe(ACCESS_FAULT);
    expect(w.gt.unmapGrantRef(2, [{ hostAddr: W + 0x1000, devBusAddr: 0, handle: b.handle }])).toEqual([GNTST.okay]);
    expect(entryFlags(w, 1, 8)).toBe(GTF.permit_access);
    expect(w.gt.dump().find((d) => d.domid === 1)!.active).toEqual([]);
  });

  it('fails with bad_handle, bad_dev_addr and general_error (wrong host_addr); host_addr 0 does nothing', () => {
    const w = grantWorld();
    guestGrant(w, 1, 8, 2, data(0));
    const a = map1(w, 2, 8, 1);
    const res = w.gt.unmapGrantRef(2, [
      { hostAddr: W, devBusAddr: 0, handle: 5 },
      { hostAddr: W, devBusAddr: 0x1000, handle: a.handle },
      { hostAddr: W + 0x1000, devBusAddr: 0, handle: a.handle },
      { hostAddr: 0, devBusAddr: 0, handle: a.handle },
      { hostAddr: W, devBusAddr: 0, handle: a.handle },
      { hostAddr: W, devBusAddr: 0, handle: a.handle },
    ]);
    expect(res).toEqual([GNTST.bad_handle, GNTST.bad_dev_addr, GNTST.general_error, GNTST.okay, GNTST.okay, GNTST.bad_handle]);
    expect(w.gt.unmapGrantRef(3, [{ hostAddr: W, devBusAddr: 0, handle: -1 }])).toEqual([GNTST.bad_handle]);
  });

  it('reuses the lowest free handle', () => {
    const w = grantWorld();
    guestGrant(w, 1, 8, 2, data(0));
    const hs = [0, 1, 2].map((i) => map1(w, 2, 8, 1, RO, W + i * 0x1000).handle);
    expect(hs).toEqual([0, 1, 2]);
    w.gt.unmapGrantRef(2, [{ hostAddr: W + 0x1000, devBusAddr: 0, handle: 1 }]);
    expect(map1(w, 2, 8, 1, RO, W + 0x5000).handle).toBe(1);
  });
});
