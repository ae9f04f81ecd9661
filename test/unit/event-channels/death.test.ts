import { describe, expect, it } from 'vitest';
import { DOMID_SELF } from '../../../src/event-channels/evtchn-domain.js';
import { XenErrno } from '../../../src/event-channels/errno.js';
import { EVTCHNSTAT } from '../../../src/event-channels/port-state.js';
import { VIRQ } from '../../../src/event-channels/virq.js';
import { world } from './support.js';

describe('domain death', () => {
  it('closes every port: interdomain peers turn unbound waiting for the dead domid, with no event', () => {
    const w = world(3);
    const a = w.ec.allocUnbound(1, DOMID_SELF, 2);
    const b = w.ec.bindInterdomain(2, 1, a);
    const c = w.ec.allocUnbound(3, DOMID_SELF, 1);
    const d = w.ec.bindInterdomain(1, 3, c);
    w.ec.bindVirq(1, VIRQ.TIMER, 0);
    w.notes.length = 0;
    w.doms.get(1)!.dying = true;
    w.ec.domainDied(1);
    w.doms.delete(1);
    expect(w.ec.status(2, DOMID_SELF, b)).toEqual({ status: EVTCHNSTAT.unbound, vcpu: 0, dom: 1 });
    expect(w.ec.status(3, DOMID_SELF, c)).toEqual({ status: EVTCHNSTAT.unbound, vcpu: 0, dom: 1 });
    expect(w.notes).toEqual([]);
    expect(w.ec.send(2, b)).toBe(0);
    expect(w.ec.table(1)).toBeUndefined();
    expect(w.ec.send(1, d)).toBe(XenErrno.EINVAL);
    expect(w.ec.allocUnbound(1, DOMID_SELF, 2)).toBe(XenErrno.ESRCH);
  });

  it('raises VIRQ_DOM_EXC at dom0 when it bound it', () => {
    const w = world();
    const p = w.ec.bindVirq(0, VIRQ.DOM_EXC, 0);
    w.ec.domainDied(2);
    expect(w.ec.isPending(0, p)).toBe(true);
    expect(w.notes).toEqual(['d0v0']);
    w.ec.domainDied(1);
    expect(w.notes).toEqual(['d0v0']);
  });

  it('lets a later domain with the same domid bind to a port left waiting for the dead one', () => {
    const w = world();
    const a = w.ec.allocUnbound(1, DOMID_SELF, 2);
    const b = w.ec.bindInterdomain(2, 1, a);
    w.ec.domainDied(2);
    w.add(2);
    expect(w.ec.bindInterdomain(2, 1, a)).toBe(b);
  });

  it('gives a dying domain EINVAL for new ports and drops its global VIRQ roles', () => {
    const w = world();
    w.ec.setVirqHandler(VIRQ.CONSOLE, 1);
    w.doms.get(1)!.dying = true;
    expect(w.ec.bindIpi(1, 0)).toBe(XenErrno.EINVAL);
    w.ec.domainDied(1);
    expect(w.ec.virqHandler(VIRQ.CONSOLE)).toBe(0);
    expect(w.ec.bindIpi(1, 0)).toBe(XenErrno.EINVAL);
    expect(w.ec.table(1)).toBeUndefined();
  });

  it('turns a loopback channel\'s other end unbound too', () => {
    const w = world();
    const p = w.ec.allocUnbound(1, DOMID_SELF, DOMID_SELF);
    w.ec.bindInterdomain(1, DOMID_SELF, p);
    w.ec.domainDied(1);
    expect(w.ec.list(1)).toEqual([]);
  });
});
