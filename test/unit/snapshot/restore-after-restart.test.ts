/**
 * Domains' Xen-side tables restored into a model where every other domain is gone (a resume after a
 * manager restart): what stays, what stays between domains restored together, and what goes as it
 * would on a peer's death.
 */
import { describe, expect, it } from 'vitest';
import { DOMID_SELF } from '../../../src/event-channels/evtchn-domain.js';
import { savePortTable } from '../../../src/event-channels/event-channels.persist.js';
import { EVTCHNSTAT } from '../../../src/event-channels/port-state.js';
import { VIRQ } from '../../../src/event-channels/virq.js';
import { GNTMAP, GTF } from '../../../src/grant-tables/grant-flags.js';
import { GNTST } from '../../../src/grant-tables/grant-status.js';
import { world } from '../event-channels/support.js';
import { W, data, entryFlags, grantWorld, guestGrant, type GrantWorld } from '../grant-tables/support.js';

describe('event channels of domains whose peers are gone', () => {
  it('keep port numbers, VIRQs and IPIs; interdomain ports are left unbound for the peer domid', () => {
    const w = world(3);
    const unbound = w.ec.allocUnbound(1, DOMID_SELF, 2);
    const peerPort = w.ec.allocUnbound(3, DOMID_SELF, 1);
    const inter = w.ec.bindInterdomain(1, 3, peerPort);
    const virq = w.ec.bindVirq(1, VIRQ.TIMER, 0);
    const ipi = w.ec.bindIpi(1, 1);
    const saved = savePortTable(w.ec.table(1)!);

    const fresh = world(0);
    fresh.add(1);
    fresh.ec.restoreTogether([saved]);
    expect(fresh.ec.status(1, DOMID_SELF, unbound)).toEqual({ status: EVTCHNSTAT.unbound, vcpu: 0, dom: 2 });
    expect(fresh.ec.status(1, DOMID_SELF, inter)).toEqual({ status: EVTCHNSTAT.unbound, vcpu: 0, dom: 3 });
    expect(fresh.ec.status(1, DOMID_SELF, virq)).toMatchObject({ status: EVTCHNSTAT.virq, virq: VIRQ.TIMER });
    expect(fresh.ec.status(1, DOMID_SELF, ipi)).toMatchObject({ status: EVTCHNSTAT.ipi, vcpu: 1 });
    // a new domain 3 can bind to the port left waiting for it, as after a death
    fresh.add(3);
    expect(fresh.ec.bindInterdomain(3, 1, inter)).toBeGreaterThan(0);
    expect(() => fresh.ec.restoreTogether([saved])).toThrow(/already exist/);
  });

  it('keep the channels between domains restored together, and refuse a pair that does not point back', () => {
    const w = world(3);
    const p2 = w.ec.allocUnbound(2, DOMID_SELF, 1);
    const p1 = w.ec.bindInterdomain(1, 2, p2);
    const p3 = w.ec.allocUnbound(3, DOMID_SELF, 1);
    const q1 = w.ec.bindInterdomain(1, 3, p3);
    const [s1, s2] = [savePortTable(w.ec.table(1)!), savePortTable(w.ec.table(2)!)];

    const fresh = world(0);
    fresh.add(1);
    fresh.add(2);
    fresh.ec.restoreTogether([s1, s2]);
    expect(fresh.ec.status(1, DOMID_SELF, p1)).toMatchObject({ status: EVTCHNSTAT.interdomain, dom: 2, port: p2 });
    expect(fresh.ec.status(2, DOMID_SELF, p2)).toMatchObject({ status: EVTCHNSTAT.interdomain, dom: 1, port: p1 });
    expect(fresh.ec.status(1, DOMID_SELF, q1)).toEqual({ status: EVTCHNSTAT.unbound, vcpu: 0, dom: 3 });
    fresh.pendings.length = 0;
    expect(fresh.ec.send(1, p1)).toBe(0);
    expect(fresh.ec.isPending(2, p2)).toBe(true);

    const broken = world(0);
    broken.add(1);
    broken.add(2);
    const s2moved = { ...s2, ports: s2.ports.map((p) => (p.port === p2 ? { ...p, remotePort: p1 + 1 } : p)) };
    expect(() => broken.ec.restoreTogether([s1, s2moved])).toThrow(/does not point back/);
    expect(broken.ec.table(1)).toBeUndefined();
  });
});

/** A new model holding domains `ids` with the RAM they had in `w` (the entries live there). */
function freshWith(w: GrantWorld, ids: number[]): GrantWorld {
  const fresh = grantWorld(0);
  for (const id of ids) fresh.add(id).memory!.replaceBacking(w.mem(id).buffer.slice(0));
  return fresh;
}

describe('grant tables of domains whose mappers are gone', () => {
  it('keep entries and refs; entries others had mapped lose their reading and writing flags and can end', () => {
    const w = grantWorld();
    guestGrant(w, 1, 8, 2, data(0));
    guestGrant(w, 1, 9, 2, data(1));
    expect(w.gt.mapGrantRef(2, [{ hostAddr: W, flags: GNTMAP.host_map, ref: 8, dom: 1 }])[0]!.status).toBe(GNTST.okay);
    expect(entryFlags(w, 1, 8) & (GTF.reading | GTF.writing)).toBe(GTF.reading | GTF.writing);
    const saved = { domid: 1, ...w.gt.saveDomain(1) };

    const fresh = freshWith(w, [1]);
    fresh.gt.restoreTogether([saved]);
    expect(entryFlags(fresh, 1, 8)).toBe(GTF.permit_access);
    expect(entryFlags(fresh, 1, 9)).toBe(GTF.permit_access);
    expect(fresh.gt.endForeignAccess(1, 8)).toBe(true);
    // a new domain 2 maps what is still granted to it
    fresh.add(2);
    expect(fresh.gt.mapGrantRef(2, [{ hostAddr: W, flags: GNTMAP.host_map, ref: 9, dom: 1 }])[0]!.status).toBe(GNTST.okay);
    expect(() => fresh.gt.restoreTogether([saved])).toThrow(/already exists/);
    expect(() => grantWorld(0).gt.restoreTogether([saved])).toThrow(/no such domain/);
  });

  it('keep the mappings between domains restored together, placed in the mapper’s window; a mapping by a domain left out goes', () => {
    const w = grantWorld();
    guestGrant(w, 1, 8, 2, data(0));
    guestGrant(w, 1, 9, 3, data(1));
    w.mem(1).store(data(0), 4, 0xfeed);
    const [m8] = w.gt.mapGrantRef(2, [{ hostAddr: W, flags: GNTMAP.host_map, ref: 8, dom: 1 }]);
    const [m9] = w.gt.mapGrantRef(3, [{ hostAddr: W, flags: GNTMAP.host_map | GNTMAP.readonly, ref: 9, dom: 1 }]);
    expect([m8!.status, m9!.status]).toEqual([GNTST.okay, GNTST.okay]);
    const saved = [1, 2].map((domid) => ({ domid, ...w.gt.saveDomain(domid) }));

    // domains 1 and 2 come back together, 3 does not
    const fresh = freshWith(w, [1, 2]);
    fresh.gt.restoreTogether(saved);
    expect(fresh.mem(2).load(W, 4)).toBe(0xfeed);
    fresh.mem(2).store(W + 4, 4, 0xbeef);
    expect(fresh.mem(1).load(data(0) + 4, 4)).toBe(0xbeef);
    expect(entryFlags(fresh, 1, 8)).toBe(GTF.permit_access | GTF.reading | GTF.writing);
    expect(entryFlags(fresh, 1, 9)).toBe(GTF.permit_access);
    expect(fresh.gt.endForeignAccess(1, 8)).toBe(false);
    expect(fresh.gt.endForeignAccess(1, 9)).toBe(true);
    expect(fresh.gt.unmapGrantRef(2, [{ hostAddr: W, devBusAddr: 0, handle: m8!.handle }])).toEqual([GNTST.okay]);
    expect(fresh.gt.endForeignAccess(1, 8)).toBe(true);
  });
});
