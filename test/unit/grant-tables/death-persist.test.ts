import { describe, expect, it } from 'vitest';
import { formatGrantDump } from '../../../src/grant-tables/grant-debug.js';
import { GNTCOPY, GNTMAP, GTF } from '../../../src/grant-tables/grant-flags.js';
import { GrantTables } from '../../../src/grant-tables/grant-tables.js';
import type { GrantTablesState } from '../../../src/grant-tables/grant-tables.persist.js';
import { GNTST } from '../../../src/grant-tables/grant-status.js';
import { restoreGuestMemory, saveGuestMemory } from '../../../src/vcpu/guest-memory.persist.js';
import { ACCESS_FAULT, RAM_BASE } from '../../../src/vcpu/memory-layout.js';
import { DOMID_SELF } from '../../../src/grant-tables/grant-domain.js';
import { TestGrantDomain, W, data, entryFlags, gfn, grantWorld, guestGrant, type GrantWorld } from './support.js';

const HOST = GNTMAP.host_map;
const RO = GNTMAP.host_map | GNTMAP.readonly;

describe('domain death', () => {
  it('releases a dead mapper\'s mappings: pins drop and the granter\'s flags clear', () => {
    const w = grantWorld();
    guestGrant(w, 1, 8, 2, data(0));
    w.gt.mapGrantRef(2, [{ hostAddr: W, flags: HOST, ref: 8, dom: 1 }, { hostAddr: W + 0x1000, flags: RO, ref: 8, dom: 1 }]);
    w.doms.get(2)!.dying = true;
    w.gt.domainDied(2);
    expect(entryFlags(w, 1, 8)).toBe(GTF.permit_access);
    expect(w.mem(2).load(W, 4)).toBe(ACCESS_FAULT);
    expect(w.gt.endForeignAccess(1, 8)).toBe(true);
    expect(w.gt.dump().map((d) => [d.domid, d.active.length, d.mappings.length])).toEqual([[1, 0, 0], [3, 0, 0]]);
  });

  it('keeps a dead granter\'s frames usable by their mappers until unmapped', () => {
    const w = grantWorld();
    w.mem(1).store(data(0), 4, 0x5151);
    guestGrant(w, 1, 8, 2, data(0));
    guestGrant(w, 1, 9, 2, data(1));
    const [a] = w.gt.mapGrantRef(2, [{ hostAddr: W, flags: HOST, ref: 8, dom: 1 }]);
    w.doms.get(1)!.dying = true;
    w.gt.domainDied(1);
    w.doms.delete(1);
    expect(w.mem(2).load(W, 4)).toBe(0x5151);
    expect(w.mem(2).store(W + 4, 4, 1)).toBe(0);
    expect(w.gt.mapGrantRef(2, [{ hostAddr: W + 0x1000, flags: HOST, ref: 9, dom: 1 }])[0]!.status).toBe(GNTST.bad_domain);
    const copy = { source: { u: 8, domid: 1, offset: 0 }, dest: { u: gfn(data(5)), domid: DOMID_SELF, offset: 0 }, len: 4, flags: GNTCOPY.source_gref };
    expect(w.gt.copy(2, [copy])).toEqual([GNTST.bad_domain]);
    expect(w.gt.dump().find((d) => d.domid === 1)).toMatchObject({ zombie: true, active: [{ ref: 8, mapper: 2, pin: 1 }] });
    expect(w.gt.unmapGrantRef(2, [{ hostAddr: W, devBusAddr: 0, handle: a!.handle }])).toEqual([GNTST.okay]);
    expect(w.gt.dump().find((d) => d.domid === 1)).toBeUndefined();
  });

  it('gives a later domain with the dead one\'s domid a fresh table', () => {
    const w = grantWorld();
    guestGrant(w, 1, 8, 2, data(0));
    w.gt.mapGrantRef(2, [{ hostAddr: W, flags: HOST, ref: 8, dom: 1 }]);
    w.gt.domainDied(1);
    w.add(1);
    expect(w.gt.querySize(1, 1)).toMatchObject({ nrFrames: 0 });
    expect(w.gt.dump().filter((d) => d.domid === 1).map((d) => d.zombie)).toEqual([false, true]);
  });
});

/** The grant state and every domain's memory into a fresh world; mappings reappear in the new windows. */
function reload(w: GrantWorld): { w2: GrantWorld; state: GrantTablesState } {
  const state = JSON.parse(JSON.stringify(w.gt.save())) as GrantTablesState;
  const doms = new Map<number, TestGrantDomain>();
  for (const [id, d] of w.doms) doms.set(id, new TestGrantDomain(id, d.memory && restoreGuestMemory(saveGuestMemory(d.memory))));
  const gt = new GrantTables({ domain: (id) => doms.get(id) });
  gt.restore(state);
  return { w2: { gt, doms, add: () => { throw new Error('unused'); }, mem: (id) => doms.get(id)!.memory! }, state };
}

describe('save and restore', () => {
  function populated(): GrantWorld {
    const w = grantWorld();
    w.mem(1).store(data(0), 4, 0x1111);
    w.mem(3).store(data(2), 4, 0x3333);
    guestGrant(w, 1, 8, 2, data(0));
    guestGrant(w, 3, 8, 2, data(2), true);
    guestGrant(w, 1, 9, 0, data(1));
    w.gt.mapGrantRef(2, [
      { hostAddr: W, flags: HOST, ref: 8, dom: 1 },
      { hostAddr: W + 0x1000, flags: RO, ref: 8, dom: 1 },
      { hostAddr: W + 0x2000, flags: RO, ref: 8, dom: 3 },
    ]);
    w.gt.mapGrantRef(0, [{ hostAddr: W, flags: HOST, ref: 9, dom: 1 }]);
    w.gt.domainDied(3);
    w.doms.delete(3);
    return w;
  }

  it('restores tables, pins, maptracks, a zombie\'s frames and the mappings themselves', () => {
    const w = populated();
    const { w2, state } = reload(w);
    expect(w2.gt.dump()).toEqual(w.gt.dump());
    expect(w2.gt.save()).toEqual(state);
    expect(w2.mem(2).load(W, 4)).toBe(0x1111);
    expect(w2.mem(2).load(W + 0x2000, 4)).toBe(0x3333);
    expect(w2.mem(2).store(W + 0x1000, 4, 1)).not.toBe(0);
    w2.mem(2).store(W + 8, 4, 0x2222);
    expect(w2.mem(1).load(data(0) + 8, 4)).toBe(0x2222);
    expect(w2.gt.mappedFrame(0, 0)).toMatchObject({ addr: data(1), writable: true });
    expect(w2.gt.unmapGrantRef(2, [{ hostAddr: W + 0x2000, devBusAddr: 0, handle: 2 }])).toEqual([GNTST.okay]);
    expect(w2.gt.dump().some((d) => d.zombie)).toBe(false);
    expect(w2.gt.endForeignAccess(1, 8)).toBe(false);
  });

  it('refuses an inconsistent state (pins that do not match the mappings, unknown domains)', () => {
    const w = populated();
    const state = w.gt.save();
    const bad = structuredClone(state);
    bad.tables.find((t) => t.domid === 1)!.active[0]!.pin = 5;
    const directory = { domain: (id: number) => w.doms.get(id) };
    expect(() => new GrantTables(directory).restore(bad)).toThrow(/pin of ref/);
    const orphan = structuredClone(state);
    orphan.maptracks[0]!.mappings[0]!.ref = 77;
    expect(() => new GrantTables(directory).restore(orphan)).toThrow(/does not match/);
    expect(() => new GrantTables({ domain: () => undefined }).restore(state)).toThrow(/no such domain/);
  });

  it('formats the debug dump', () => {
    const text = formatGrantDump(populated().gt.dump());
    expect(text).toContain('grant-table for d1 (v1): 1 frames (64 max)');
    expect(text).toContain('  [0x0008]      2 0x00000101 0x0019     2 0x080010');
    expect(text).toContain('grant-table for d3 (dying) (v1)');
    expect(text).toContain('  handle 2: d3 ref 8 at 0x40002000 ro');
    expect(RAM_BASE).toBe(0x8000_0000);
  });
});
