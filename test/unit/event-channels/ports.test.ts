import { describe, expect, it } from 'vitest';
import { DOMID_SELF } from '../../../src/event-channels/evtchn-domain.js';
import { XenErrno } from '../../../src/event-channels/errno.js';
import { EVTCHNSTAT } from '../../../src/event-channels/port-state.js';
import { VIRQ } from '../../../src/event-channels/virq.js';
import { world, type World } from './support.js';

const { EINVAL, ESRCH, EPERM, ENOENT, ENOSYS } = XenErrno;

/** Domain 1 port p ↔ domain 2 port q; the binder's pending bit cleared again. */
function pair(w: World): { p: number; q: number } {
  const p = w.ec.allocUnbound(1, DOMID_SELF, 2);
  const q = w.ec.bindInterdomain(2, 1, p);
  w.ec.table(2)!.sharedInfo.clearPending(q);
  w.notes.length = 0;
  return { p, q };
}

describe('send', () => {
  it('sets the peer\'s pending bit on an interdomain channel', () => {
    const w = world();
    const { p, q } = pair(w);
    expect(w.ec.send(1, p)).toBe(0);
    expect(w.ec.isPending(2, q)).toBe(true);
    expect(w.ec.isPending(1, p)).toBe(false);
  });

  it('drops silently on an unbound port and leaves nothing pending anywhere', () => {
    const w = world();
    const p = w.ec.allocUnbound(1, DOMID_SELF, 2);
    expect(w.ec.send(1, p)).toBe(0);
    expect(w.ec.isPending(1, p)).toBe(false);
    expect(w.pendings).toEqual([]);
  });

  it('fails with EINVAL on port 0, a free port, a VIRQ port and a port out of range', () => {
    const w = world();
    const v = w.ec.bindVirq(1, VIRQ.TIMER, 0);
    expect(w.ec.send(1, 0)).toBe(EINVAL);
    expect(w.ec.send(1, 9)).toBe(EINVAL);
    expect(w.ec.send(1, v)).toBe(EINVAL);
    expect(w.ec.send(1, 1024)).toBe(EINVAL);
    expect(w.ec.send(1, 1.5)).toBe(EINVAL);
  });
});

describe('close', () => {
  it('turns the peer back to unbound waiting for the closer, without notifying it', () => {
    const w = world();
    const { p, q } = pair(w);
    expect(w.ec.close(1, p)).toBe(0);
    expect(w.ec.status(2, DOMID_SELF, q)).toEqual({ status: EVTCHNSTAT.unbound, vcpu: 0, dom: 1 });
    expect(w.notes).toEqual([]);
    expect(w.ec.send(2, q)).toBe(0);
    expect(w.ec.isPending(1, p)).toBe(false);
    expect(w.ec.status(1, DOMID_SELF, p)).toEqual({ status: EVTCHNSTAT.closed, vcpu: 0 });
    const again = w.ec.bindInterdomain(1, 2, q);
    expect(again).toBe(p);
  });

  it('fails with EINVAL for port 0, a double close and a port out of range', () => {
    const w = world();
    const p = w.ec.bindIpi(1, 0);
    expect(w.ec.close(1, 0)).toBe(EINVAL);
    expect(w.ec.close(1, p)).toBe(0);
    expect(w.ec.close(1, p)).toBe(EINVAL);
    expect(w.ec.close(1, 4096)).toBe(EINVAL);
    expect(w.ec.close(9, 1)).toBe(ESRCH);
  });

  it('clears the pending bit and the notify vCPU, and leaves the mask bit alone', () => {
    const w = world();
    const p = w.ec.bindIpi(1, 1);
    const si = w.ec.table(1)!.sharedInfo;
    si.setMask(p);
    w.ec.send(1, p);
    expect(w.ec.isPending(1, p)).toBe(true);
    w.ec.close(1, p);
    expect(w.ec.isPending(1, p)).toBe(false);
    expect(w.ec.isMasked(1, p)).toBe(true);
    expect(w.ec.allocUnbound(1, DOMID_SELF, 2)).toBe(p);
    expect(w.ec.status(1, 1, p)).toMatchObject({ vcpu: 0 });
  });
});

describe('status', () => {
  it('reports closed for free and reserved ports', () => {
    const { ec } = world();
    expect(ec.status(1, DOMID_SELF, 0)).toEqual({ status: EVTCHNSTAT.closed, vcpu: 0 });
    expect(ec.status(1, DOMID_SELF, 5)).toEqual({ status: EVTCHNSTAT.closed, vcpu: 0 });
  });

  it('checks the domain (ESRCH), the port (EINVAL) and then the permission (EPERM)', () => {
    const { ec } = world();
    expect(ec.status(1, 7, 1)).toBe(ESRCH);
    expect(ec.status(1, 2, 2000)).toBe(EINVAL);
    expect(ec.status(1, 2, 1)).toBe(EPERM);
    expect(ec.status(0, 2, 1)).toEqual({ status: EVTCHNSTAT.closed, vcpu: 0 });
  });
});

describe('bind_vcpu', () => {
  it('moves unbound, interdomain and global VIRQ ports; the next upcall goes to the new vCPU', () => {
    const w = world();
    const { p, q } = pair(w);
    expect(w.ec.bindVcpu(2, q, 1)).toBe(0);
    w.ec.send(1, p);
    expect(w.notes).toEqual(['d2v1']);
    expect(w.ec.status(2, 2, q)).toMatchObject({ vcpu: 1 });
    const u = w.ec.allocUnbound(1, DOMID_SELF, 2);
    expect(w.ec.bindVcpu(1, u, 1)).toBe(0);
    const g = w.ec.bindVirq(1, VIRQ.ARGO, 0);
    expect(w.ec.bindVcpu(1, g, 1)).toBe(0);
  });

  it('refuses per-vCPU VIRQs, IPIs, free and reserved ports (EINVAL) and missing vCPUs (ENOENT)', () => {
    const w = world();
    const t = w.ec.bindVirq(1, VIRQ.TIMER, 0);
    const i = w.ec.bindIpi(1, 0);
    expect(w.ec.bindVcpu(1, t, 1)).toBe(EINVAL);
    expect(w.ec.bindVcpu(1, i, 1)).toBe(EINVAL);
    expect(w.ec.bindVcpu(1, 0, 1)).toBe(EINVAL);
    expect(w.ec.bindVcpu(1, 30, 1)).toBe(EINVAL);
    expect(w.ec.bindVcpu(1, 5000, 1)).toBe(EINVAL);
    expect(w.ec.bindVcpu(1, i, 2)).toBe(ENOENT);
    expect(w.ec.bindVcpu(1, 5000, 2)).toBe(ENOENT);
  });
});

describe('unmask', () => {
  it('returns EINVAL only for a port out of range; a port not in use is a no-op', () => {
    const { ec } = world();
    expect(ec.unmask(1, 1024)).toBe(EINVAL);
    expect(ec.unmask(1, 17)).toBe(0);
    expect(ec.unmask(1, 0)).toBe(0);
  });
});

describe('reset', () => {
  it('closes every port of the caller, peers turning unbound', () => {
    const w = world();
    const { p, q } = pair(w);
    w.ec.bindVirq(1, VIRQ.TIMER, 0);
    expect(w.ec.reset(1, DOMID_SELF)).toBe(0);
    expect(w.ec.list(1).map((r) => r.state)).toEqual(['reserved']);
    expect(w.ec.status(2, 2, q)).toMatchObject({ status: EVTCHNSTAT.unbound, dom: 1 });
    expect(w.ec.bindVirq(1, VIRQ.TIMER, 0)).toBe(p);
  });

  it('checks the domain (ESRCH), the permission (EPERM) and that another domain is paused (EINVAL)', () => {
    const w = world();
    w.ec.bindIpi(2, 0);
    expect(w.ec.reset(1, 8)).toBe(ESRCH);
    expect(w.ec.reset(1, 2)).toBe(EPERM);
    expect(w.ec.reset(0, 2)).toBe(EINVAL);
    w.doms.get(2)!.paused = true;
    expect(w.ec.reset(0, 2)).toBe(0);
    expect(w.ec.list(2)).toHaveLength(1);
  });
});

describe('set_priority', () => {
  it('is ENOSYS under the 2-level ABI, after the port check', () => {
    const { ec } = world();
    expect(ec.setPriority(1, 2000, 3)).toBe(EINVAL);
    expect(ec.setPriority(1, 1, 3)).toBe(ENOSYS);
  });
});
