/**
 * A domain's Xen-side tables restored into a model where its peers are gone (a resume after a
 * manager restart): what stays, and what goes as it would on the peers' death.
 */
import { describe, expect, it } from 'vitest';
import { DOMID_SELF } from '../../../src/event-channels/evtchn-domain.js';
import { savePortTable } from '../../../src/event-channels/event-channels.persist.js';
import { EVTCHNSTAT } from '../../../src/event-channels/port-state.js';
import { VIRQ } from '../../../src/event-channels/virq.js';
import { GNTMAP, GTF } from '../../../src/vmm/kernel/grant-flags.js';
import { GNTST } from '../../../src/vmm/kernel/grant-status.js';
import { world } from '../event-channels/support.js';
import { W, data, entryFlags, grantWorld, guestGrant } from '../grant-table/support.js';

describe('event channels of a domain whose peers are gone', () => {
  it('keeps port numbers, VIRQs and IPIs; interdomain ports are left unbound for the peer domid', () => {
    const w = world(3);
    const unbound = w.ec.allocUnbound(1, DOMID_SELF, 2);
    const peerPort = w.ec.allocUnbound(3, DOMID_SELF, 1);
    const inter = w.ec.bindInterdomain(1, 3, peerPort);
    const virq = w.ec.bindVirq(1, VIRQ.TIMER, 0);
    const ipi = w.ec.bindIpi(1, 1);
    const saved = savePortTable(w.ec.table(1)!);

    const fresh = world(0);
    fresh.add(1);
    fresh.ec.restoreAlone(saved);
    expect(fresh.ec.status(1, DOMID_SELF, unbound)).toEqual({ status: EVTCHNSTAT.unbound, vcpu: 0, dom: 2 });
    expect(fresh.ec.status(1, DOMID_SELF, inter)).toEqual({ status: EVTCHNSTAT.unbound, vcpu: 0, dom: 3 });
    expect(fresh.ec.status(1, DOMID_SELF, virq)).toMatchObject({ status: EVTCHNSTAT.virq, virq: VIRQ.TIMER });
    expect(fresh.ec.status(1, DOMID_SELF, ipi)).toMatchObject({ status: EVTCHNSTAT.ipi, vcpu: 1 });
    // a new domain 3 can bind to the port left waiting for it, as after a death
    fresh.add(3);
    expect(fresh.ec.bindInterdomain(3, 1, inter)).toBeGreaterThan(0);
    expect(() => fresh.ec.restoreAlone(saved)).toThrow(/already exist/);
  });
});

describe('a grant table whose mappers are gone', () => {
  it('keeps its entries and refs; entries others had mapped lose their reading and writing flags and can end', () => {
    const w = grantWorld();
    guestGrant(w, 1, 8, 2, data(0));
    guestGrant(w, 1, 9, 2, data(1));
    expect(w.gt.mapGrantRef(2, [{ hostAddr: W, flags: GNTMAP.host_map, ref: 8, dom: 1 }])[0]!.status).toBe(GNTST.okay);
    expect(entryFlags(w, 1, 8) & (GTF.reading | GTF.writing)).toBe(GTF.reading | GTF.writing);
    const saved = w.gt.saveDomain(1).table!;

    // a new model: domain 1 with its RAM as it was (the entries live there), no domain 2
    const fresh = grantWorld(0);
    const d1 = fresh.add(1);
    d1.memory!.replaceBacking(w.mem(1).buffer.slice(0));
    fresh.gt.restoreAlone(1, saved);
    expect(entryFlags(fresh, 1, 8)).toBe(GTF.permit_access);
    expect(entryFlags(fresh, 1, 9)).toBe(GTF.permit_access);
    expect(fresh.gt.endForeignAccess(1, 8)).toBe(true);
    // a new domain 2 maps what is still granted to it
    fresh.add(2);
    expect(fresh.gt.mapGrantRef(2, [{ hostAddr: W, flags: GNTMAP.host_map, ref: 9, dom: 1 }])[0]!.status).toBe(GNTST.okay);
    expect(() => fresh.gt.restoreAlone(1, saved)).toThrow(/already exists/);
    expect(() => grantWorld(0).gt.restoreAlone(1, saved)).toThrow(/no such domain/);
  });
});
