import { describe, expect, it } from 'vitest';
import { DOMID_SELF } from '../../../src/grant-tables/grant-domain.js';
import { GNTST, gntStatusName, gntStatusText } from '../../../src/grant-tables/grant-status.js';
import { RAM_BASE } from '../../../src/vcpu/memory-layout.js';
import { GNTMAP } from '../../../src/grant-tables/grant-flags.js';
import { TABLE, W, data, grantWorld, guestGrant } from './support.js';

describe('setup_table and query_size', () => {
  it('starts with no frames and the default maximum of 64', () => {
    const w = grantWorld(0);
    w.add(1);
    expect(w.gt.querySize(1, DOMID_SELF)).toEqual({ status: GNTST.okay, nrFrames: 0, maxNrFrames: 64 });
    expect(w.gt.setupTable(1, DOMID_SELF, [TABLE, TABLE + 0x1000])).toBe(GNTST.okay);
    expect(w.gt.querySize(1, 1)).toEqual({ status: GNTST.okay, nrFrames: 2, maxNrFrames: 64 });
  });

  it('checks the domain (bad_domain), the caller (permission_denied) and the count (general_error) in that order', () => {
    const w = grantWorld(2);
    expect(w.gt.setupTable(1, 9, [TABLE])).toBe(GNTST.bad_domain);
    expect(w.gt.querySize(1, 9).status).toBe(GNTST.bad_domain);
    expect(w.gt.setupTable(1, 2, [TABLE])).toBe(GNTST.permission_denied);
    expect(w.gt.querySize(1, 2).status).toBe(GNTST.permission_denied);
    expect(w.gt.querySize(0, 2)).toMatchObject({ status: GNTST.okay, nrFrames: 1 });
    const w2 = grantWorld(0);
    w2.add(1);
    w2.gt.addDomain(1, { maxGrantFrames: 2 });
    expect(w2.gt.setupTable(1, 1, [TABLE, TABLE + 0x1000, TABLE + 0x2000])).toBe(GNTST.general_error);
    expect(w2.gt.querySize(1, 1)).toEqual({ status: GNTST.okay, nrFrames: 0, maxNrFrames: 2 });
  });

  it('refuses frames that are unaligned, outside RAM or given twice (bad_virt_addr)', () => {
    const w = grantWorld(1);
    expect(w.gt.setupTable(1, 1, [TABLE + 8])).toBe(GNTST.bad_virt_addr);
    expect(w.gt.setupTable(1, 1, [RAM_BASE + 0x100000])).toBe(GNTST.bad_virt_addr);
    expect(w.gt.setupTable(1, 1, [0x1000])).toBe(GNTST.bad_virt_addr);
    expect(w.gt.setupTable(1, 1, [TABLE + 0x1000, TABLE + 0x1000])).toBe(GNTST.bad_virt_addr);
    expect(w.gt.setupTable(1, 1, [TABLE, TABLE])).toBe(GNTST.bad_virt_addr);
    expect(w.gt.setupTable(0, 0, [TABLE])).toBe(GNTST.bad_virt_addr);
  });

  it('never shrinks, and carries entries along when a frame is registered elsewhere', () => {
    const w = grantWorld(2);
    w.gt.setupTable(1, 1, [TABLE, TABLE + 0x1000]);
    guestGrant(w, 1, 8, 2, data(0));
    expect(w.gt.setupTable(1, 1, [TABLE + 0x3000])).toBe(GNTST.okay);
    expect(w.gt.querySize(1, 1).nrFrames).toBe(2);
    expect(w.gt.setupTable(1, 1, [TABLE + 0x1000])).toBe(GNTST.bad_virt_addr);
    const [r] = w.gt.mapGrantRef(2, [{ hostAddr: W, flags: GNTMAP.host_map, ref: 8, dom: 1 }]);
    expect(r!.status).toBe(GNTST.okay);
    expect(w.mem(1).load(TABLE + 0x3000 + 64, 2) & 0x18).toBe(0x18);
  });

  it('names every status as Xen does', () => {
    expect(gntStatusName(GNTST.bad_copy_arg)).toBe('bad_copy_arg');
    expect(gntStatusText(GNTST.bad_gntref)).toBe('invalid grant reference');
    expect(gntStatusText(5)).toBe('unknown status 5');
  });
});
