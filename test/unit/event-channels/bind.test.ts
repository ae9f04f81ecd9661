import { describe, expect, it } from 'vitest';
import { DOMID_SELF } from '../../../src/event-channels/evtchn-domain.js';
import { XenErrno } from '../../../src/event-channels/errno.js';
import { EVTCHNSTAT } from '../../../src/event-channels/port-state.js';
import { VIRQ } from '../../../src/event-channels/virq.js';
import { world } from './support.js';

const { EINVAL, ESRCH, EPERM, EEXIST, EBUSY, ENOENT, ENOSPC } = XenErrno;

describe('alloc_unbound', () => {
  it('hands out the lowest free port from 1 and reuses a closed one', () => {
    const { ec } = world();
    expect(ec.allocUnbound(1, DOMID_SELF, 2)).toBe(1);
    expect(ec.allocUnbound(1, 1, 2)).toBe(2);
    expect(ec.allocUnbound(1, DOMID_SELF, 2)).toBe(3);
    expect(ec.close(1, 1)).toBe(0);
    expect(ec.allocUnbound(1, DOMID_SELF, 2)).toBe(1);
  });

  it('records the remote domain, DOMID_SELF meaning the caller, without checking that it exists', () => {
    const { ec } = world();
    expect(ec.allocUnbound(1, DOMID_SELF, DOMID_SELF)).toBe(1);
    expect(ec.status(1, DOMID_SELF, 1)).toEqual({ status: EVTCHNSTAT.unbound, vcpu: 0, dom: 1 });
    expect(ec.allocUnbound(1, DOMID_SELF, 77)).toBe(2);
    expect(ec.status(1, 1, 2)).toEqual({ status: EVTCHNSTAT.unbound, vcpu: 0, dom: 77 });
  });

  it('fails with ESRCH for a missing domain and EPERM for another domain unless privileged', () => {
    const { ec } = world();
    expect(ec.allocUnbound(1, 9, 2)).toBe(ESRCH);
    expect(ec.allocUnbound(9, DOMID_SELF, 2)).toBe(ESRCH);
    expect(ec.allocUnbound(1, 2, 1)).toBe(EPERM);
    expect(ec.list(2)).toEqual([{ port: 0, state: 'reserved', notifyVcpu: 0, pending: false, masked: false }]);
    expect(ec.allocUnbound(0, 2, 1)).toBe(1);
    expect(ec.status(2, DOMID_SELF, 1)).toMatchObject({ status: EVTCHNSTAT.unbound, dom: 1 });
  });

  it('returns EINVAL in a dying domain', () => {
    const w = world();
    w.doms.get(1)!.dying = true;
    expect(w.ec.allocUnbound(1, DOMID_SELF, 2)).toBe(EINVAL);
  });

  it('runs out with ENOSPC after max_event_channels ports, failed calls taking none', () => {
    const { ec } = world();
    ec.addDomain(1, { maxEventChannels: 3 });
    expect([1, 2, 3].map(() => ec.allocUnbound(1, DOMID_SELF, 2))).toEqual([1, 2, 3]);
    expect(ec.allocUnbound(1, DOMID_SELF, 2)).toBe(ENOSPC);
    expect(ec.bindIpi(1, 0)).toBe(ENOSPC);
    expect(ec.close(1, 2)).toBe(0);
    expect(ec.allocUnbound(1, 2, 2)).toBe(EPERM);
    expect(ec.bindIpi(1, 0)).toBe(2);
  });

  it('is capped at 1023 ports by the 2-level ABI of a 32-bit guest', () => {
    const { ec } = world();
    ec.addDomain(1, { maxEventChannels: 5000 });
    for (let i = 1; i <= 1023; i++) expect(ec.allocUnbound(1, DOMID_SELF, 2)).toBe(i);
    expect(ec.allocUnbound(1, DOMID_SELF, 2)).toBe(ENOSPC);
    expect(ec.table(1)!.limit).toBe(1024);
  });

  it('takes ENOSPC over EPERM (allocation comes first, as in Xen)', () => {
    const { ec } = world();
    ec.addDomain(2, { maxEventChannels: 0 });
    expect(ec.allocUnbound(1, 2, 1)).toBe(ENOSPC);
  });
});

describe('bind_interdomain', () => {
  it('connects both ends and marks the new local port pending', () => {
    const w = world();
    const p = w.ec.allocUnbound(1, DOMID_SELF, 2);
    const q = w.ec.bindInterdomain(2, 1, p);
    expect(q).toBe(1);
    expect(w.ec.status(1, DOMID_SELF, p)).toEqual({ status: EVTCHNSTAT.interdomain, vcpu: 0, dom: 2, port: q });
    expect(w.ec.status(2, DOMID_SELF, q)).toEqual({ status: EVTCHNSTAT.interdomain, vcpu: 0, dom: 1, port: p });
    expect(w.ec.isPending(2, q)).toBe(true);
    expect(w.ec.isPending(1, p)).toBe(false);
    expect(w.notes).toEqual(['d2v0']);
  });

  it('succeeds once: a second bind, a third domain, a wrong or invalid port all give EINVAL', () => {
    const w = world(3);
    const p = w.ec.allocUnbound(1, DOMID_SELF, 2);
    expect(w.ec.bindInterdomain(3, 1, p)).toBe(EINVAL);
    expect(w.ec.bindInterdomain(2, 1, p)).toBe(1);
    expect(w.ec.bindInterdomain(2, 1, p)).toBe(EINVAL);
    expect(w.ec.bindInterdomain(2, 1, 0)).toBe(EINVAL);
    expect(w.ec.bindInterdomain(2, 1, 5000)).toBe(EINVAL);
    expect(w.ec.bindInterdomain(2, 1, -1)).toBe(EINVAL);
    expect(w.ec.bindInterdomain(2, 1, 7)).toBe(EINVAL);
    expect(w.ec.list(2).map((r) => r.port)).toEqual([0, 1]);
  });

  it('returns ESRCH for a missing remote domain and ENOSPC when the caller is full', () => {
    const w = world();
    const p = w.ec.allocUnbound(1, DOMID_SELF, 2);
    expect(w.ec.bindInterdomain(2, 42, p)).toBe(ESRCH);
    w.ec.addDomain(2, { maxEventChannels: 0 });
    expect(w.ec.bindInterdomain(2, 1, p)).toBe(ENOSPC);
  });

  it('binds loopback through DOMID_SELF', () => {
    const w = world();
    const p = w.ec.allocUnbound(1, DOMID_SELF, DOMID_SELF);
    const q = w.ec.bindInterdomain(1, DOMID_SELF, p);
    expect(q).toBe(2);
    expect(w.ec.status(1, 1, p)).toMatchObject({ status: EVTCHNSTAT.interdomain, dom: 1, port: 2 });
    expect(w.ec.send(1, q)).toBe(0);
    expect(w.ec.isPending(1, p)).toBe(true);
  });

  it('keeps the unbound end\'s notify vCPU', () => {
    const w = world();
    const p = w.ec.allocUnbound(1, DOMID_SELF, 2);
    expect(w.ec.bindVcpu(1, p, 1)).toBe(0);
    const q = w.ec.bindInterdomain(2, 1, p);
    expect(w.ec.send(2, q)).toBe(0);
    expect(w.notes).toEqual(['d2v0', 'd1v1']);
  });
});

describe('bind_virq', () => {
  it('binds a per-vCPU VIRQ once per vCPU', () => {
    const { ec } = world();
    expect(ec.bindVirq(1, VIRQ.TIMER, 0)).toBe(1);
    expect(ec.bindVirq(1, VIRQ.TIMER, 1)).toBe(2);
    expect(ec.bindVirq(1, VIRQ.TIMER, 1)).toBe(EEXIST);
    expect(ec.status(1, 1, 2)).toEqual({ status: EVTCHNSTAT.virq, vcpu: 1, virq: VIRQ.TIMER });
  });

  it('checks the VIRQ number, the vCPU of non-per-vCPU VIRQs, the vCPU and the global handler in that order', () => {
    const { ec } = world();
    expect(ec.bindVirq(1, 24, 0)).toBe(EINVAL);
    expect(ec.bindVirq(1, -1, 0)).toBe(EINVAL);
    expect(ec.bindVirq(1, VIRQ.DOM_EXC, 1)).toBe(EINVAL);
    expect(ec.bindVirq(1, VIRQ.ARGO, 1)).toBe(EINVAL);
    expect(ec.bindVirq(1, VIRQ.TIMER, 2)).toBe(ENOENT);
    expect(ec.bindVirq(1, VIRQ.DOM_EXC, 0)).toBe(EBUSY);
    expect(ec.bindVirq(0, VIRQ.DOM_EXC, 0)).toBe(1);
    expect(ec.bindVirq(0, VIRQ.DOM_EXC, 0)).toBe(EEXIST);
    expect(ec.bindVirq(1, VIRQ.ARGO, 0)).toBe(1);
    expect(ec.bindVirq(1, VIRQ.ARGO, 0)).toBe(EEXIST);
  });

  it('lets the toolstack move a global VIRQ to another domain', () => {
    const { ec } = world();
    expect(ec.setVirqHandler(VIRQ.CONSOLE, 1)).toBe(0);
    expect(ec.setVirqHandler(VIRQ.TIMER, 1)).toBe(EINVAL);
    expect(ec.setVirqHandler(VIRQ.CONSOLE, 9)).toBe(ESRCH);
    expect(ec.bindVirq(0, VIRQ.CONSOLE, 0)).toBe(EBUSY);
    expect(ec.bindVirq(1, VIRQ.CONSOLE, 0)).toBe(1);
    expect(ec.raiseGlobalVirq(VIRQ.CONSOLE)).toBe(true);
    expect(ec.isPending(1, 1)).toBe(true);
  });

  it('delivers a raised VIRQ to the bound vCPU and drops one nobody bound', () => {
    const w = world();
    w.ec.bindVirq(1, VIRQ.TIMER, 1);
    expect(w.ec.raiseVirq(1, 0, VIRQ.TIMER)).toBe(false);
    expect(w.ec.raiseVirq(1, 1, VIRQ.TIMER)).toBe(true);
    expect(w.ec.raiseVirq(1, 0, VIRQ.DOM_EXC)).toBe(false);
    expect(w.notes).toEqual(['d1v1']);
  });

  it('frees the VIRQ slot on close so it can be bound again', () => {
    const { ec } = world();
    const p = ec.bindVirq(1, VIRQ.TIMER, 1);
    expect(ec.close(1, p)).toBe(0);
    expect(ec.bindVirq(1, VIRQ.TIMER, 1)).toBe(p);
    const g = ec.bindVirq(0, VIRQ.DOM_EXC, 0);
    expect(ec.bindVcpu(0, g, 0)).toBe(0);
    expect(ec.close(0, g)).toBe(0);
    expect(ec.bindVirq(0, VIRQ.DOM_EXC, 0)).toBe(g);
  });
});

describe('bind_ipi and bind_pirq', () => {
  it('binds an IPI to a vCPU; send sets it pending locally on that vCPU', () => {
    const w = world();
    expect(w.ec.bindIpi(1, 5)).toBe(ENOENT);
    const p = w.ec.bindIpi(1, 1);
    expect(p).toBe(1);
    expect(w.ec.status(1, 1, p)).toEqual({ status: EVTCHNSTAT.ipi, vcpu: 1 });
    expect(w.ec.send(1, p)).toBe(0);
    expect(w.ec.isPending(1, p)).toBe(true);
    expect(w.notes).toEqual(['d1v1']);
  });

  it('has no physical IRQs: bind_pirq is EINVAL (nr_pirqs is 0)', () => {
    const { ec } = world();
    expect(ec.bindPirq(1, 0)).toBe(EINVAL);
    expect(ec.bindPirq(9, 0)).toBe(ESRCH);
  });

  it('gives vCPU 0 to a domain without vCPUs (dom0), and no more', () => {
    const { ec } = world();
    expect(ec.bindIpi(0, 0)).toBe(1);
    expect(ec.bindIpi(0, 1)).toBe(ENOENT);
  });
});
