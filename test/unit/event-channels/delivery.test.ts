import { describe, expect, it } from 'vitest';
import { DOMID_SELF } from '../../../src/event-channels/evtchn-domain.js';
import { XenErrno } from '../../../src/event-channels/errno.js';
import { SHARED_INFO } from '../../../src/event-channels/shared-info.js';
import { RAM_BASE } from '../../../src/vcpu/memory-layout.js';
import { R, bareMachine, enc, li } from '../vcpu/support/bare-machine.js';
import { TestDomain, world, type World } from './support.js';

const SI = RAM_BASE + 0x8000;

function ipi(w: World, vcpu = 0): number {
  return w.ec.bindIpi(1, vcpu);
}

describe('pending and mask bits', () => {
  it('coalesces repeated sends: one pending bit, one upcall', () => {
    const w = world();
    const p = ipi(w);
    w.ec.send(1, p); w.ec.send(1, p); w.ec.send(1, p);
    expect(w.notes).toEqual(['d1v0']);
    expect(w.pendings).toEqual(['d1p1']);
    expect(w.ec.isPending(1, p)).toBe(true);
  });

  it('raises the upcall hook only on the 0→1 edge of evtchn_upcall_pending', () => {
    const w = world();
    const a = ipi(w), b = w.ec.bindIpi(1, 0);
    w.ec.send(1, a);
    w.ec.send(1, b);
    expect(w.notes).toEqual(['d1v0']);
    expect(w.ec.upcallPending(1, 0)).toBe(true);
    expect(w.ec.table(1)!.sharedInfo.pendingSelector(0)).toBe(1);
  });

  it('sets pending without an upcall on a masked port; unmask then delivers once', () => {
    const w = world();
    const p = ipi(w);
    w.ec.table(1)!.sharedInfo.setMask(p);
    w.ec.send(1, p);
    expect(w.ec.isPending(1, p)).toBe(true);
    expect(w.notes).toEqual([]);
    expect(w.ec.upcallPending(1, 0)).toBe(false);
    expect(w.ec.unmask(1, p)).toBe(0);
    expect(w.notes).toEqual(['d1v0']);
    expect(w.ec.isMasked(1, p)).toBe(false);
    expect(w.ec.unmask(1, p)).toBe(0);
    expect(w.notes).toEqual(['d1v0']);
  });

  it('does not re-deliver when the guest clears the mask bit itself (the edge is lost)', () => {
    const w = world();
    expect(w.ec.registerSharedInfo(1, SI)).toBe(0);
    const p = ipi(w);
    const mem = w.doms.get(1)!.memory!;
    mem.store(SI + SHARED_INFO.EVTCHN_MASK, 4, 1 << p);
    w.ec.send(1, p);
    mem.store(SI + SHARED_INFO.EVTCHN_MASK, 4, 0);
    expect(w.notes).toEqual([]);
    expect(w.ec.isPending(1, p)).toBe(true);
  });

  it('does not re-deliver on unmask when the port is not pending or was not masked', () => {
    const w = world();
    const p = ipi(w);
    w.ec.table(1)!.sharedInfo.setMask(p);
    w.ec.unmask(1, p);
    expect(w.notes).toEqual([]);
  });

  it('unmask re-delivery goes to the port\'s notify vCPU and skips a selector bit already set', () => {
    const w = world();
    const a = w.ec.bindIpi(1, 1);
    const b = w.ec.bindIpi(1, 1);
    const si = w.ec.table(1)!.sharedInfo;
    si.setMask(b);
    w.ec.send(1, b);
    w.ec.send(1, a);
    expect(w.notes).toEqual(['d1v1']);
    w.ec.unmask(1, b);
    expect(w.notes).toEqual(['d1v1']);
  });

  it('uses one selector bit per 32-port word', () => {
    const w = world();
    w.ec.addDomain(1);
    for (let i = 0; i < 40; i++) w.ec.bindIpi(1, 0);
    w.ec.send(1, 33);
    expect(w.ec.table(1)!.sharedInfo.pendingSelector(0)).toBe(0b10);
  });
});

describe('shared-info page', () => {
  it('keeps bits in a shadow page until registration and copies them into guest RAM then', () => {
    const w = world();
    const p = ipi(w, 1);
    w.ec.send(1, p);
    const mem = w.doms.get(1)!.memory!;
    expect(mem.readU32(SI + SHARED_INFO.EVTCHN_PENDING)).toBe(0);
    expect(w.ec.registerSharedInfo(1, SI)).toBe(0);
    expect(mem.readU32(SI + SHARED_INFO.EVTCHN_PENDING)).toBe(1 << p);
    expect(mem.u8[SI - RAM_BASE + SHARED_INFO.VCPU_INFO_SIZE + SHARED_INFO.UPCALL_PENDING]).toBe(1);
    expect(mem.readU32(SI + SHARED_INFO.VCPU_INFO_SIZE + SHARED_INFO.PENDING_SEL)).toBe(1);
  });

  it('reads the guest\'s own writes to its page (clearing pending, masking)', () => {
    const w = world();
    w.ec.registerSharedInfo(1, SI);
    const p = ipi(w);
    const mem = w.doms.get(1)!.memory!;
    w.ec.send(1, p);
    mem.store(SI + SHARED_INFO.EVTCHN_PENDING, 4, 0);
    mem.store(SI + SHARED_INFO.UPCALL_PENDING, 1, 0);
    mem.store(SI + SHARED_INFO.PENDING_SEL, 4, 0);
    w.ec.send(1, p);
    expect(w.notes).toEqual(['d1v0', 'd1v0']);
  });

  it('moves with a second registration', () => {
    const w = world();
    w.ec.registerSharedInfo(1, SI);
    const p = ipi(w);
    w.ec.send(1, p);
    expect(w.ec.registerSharedInfo(1, SI + 0x1000)).toBe(0);
    expect(w.doms.get(1)!.memory!.readU32(SI + 0x1000 + SHARED_INFO.EVTCHN_PENDING)).toBe(1 << p);
    expect(w.ec.isPending(1, p)).toBe(true);
  });

  it('refuses an unaligned address, one outside RAM, a domain without RAM (EINVAL) and a missing domain (ESRCH)', () => {
    const w = world();
    expect(w.ec.registerSharedInfo(1, SI + 4)).toBe(XenErrno.EINVAL);
    expect(w.ec.registerSharedInfo(1, RAM_BASE + 0x100000)).toBe(XenErrno.EINVAL);
    expect(w.ec.registerSharedInfo(1, 0x1000)).toBe(XenErrno.EINVAL);
    expect(w.ec.registerSharedInfo(0, SI)).toBe(XenErrno.EINVAL);
    expect(w.ec.registerSharedInfo(5, SI)).toBe(XenErrno.ESRCH);
  });

  it('drops compiled code of the page when a send writes a bit into it', () => {
    const w = world();
    w.ec.registerSharedInfo(1, SI);
    const mem = w.doms.get(1)!.memory!;
    mem.code.insert(SI - RAM_BASE, 0, () => 0);
    w.ec.send(1, ipi(w));
    expect(mem.code.lookup(SI - RAM_BASE, 0)).toBeUndefined();
  });

  it('is visible to guest code at the documented offsets', () => {
    const { vcpu, memory } = bareMachine([
      ...li(R.t0, SI),
      enc.load('lbu', R.a0, R.t0, SHARED_INFO.UPCALL_PENDING),
      enc.load('lw', R.a1, R.t0, SHARED_INFO.PENDING_SEL),
      ...li(R.t1, SI + SHARED_INFO.EVTCHN_PENDING),
      enc.load('lw', R.a2, R.t1, 0),
      ...li(R.t2, 1 << 2),
      ...li(R.t1, SI + SHARED_INFO.EVTCHN_MASK),
      enc.store('sw', R.t2, R.t1, 0),
      enc.ebreak(),
    ]);
    const w = world();
    w.doms.set(1, new TestDomain(1, memory, 1));
    w.ec.registerSharedInfo(1, SI);
    const p = w.ec.bindIpi(1, 0);
    expect(p).toBe(1);
    w.ec.send(1, p);
    const q = w.ec.bindIpi(1, 0);
    expect(vcpu.run(100)).toMatchObject({ reason: 'breakpoint' });
    expect([vcpu.x[R.a0], vcpu.x[R.a1], vcpu.x[R.a2]]).toEqual([1, 1, 0b10]);
    w.ec.send(1, q);
    expect(w.ec.isMasked(1, q)).toBe(true);
    expect(w.notes).toEqual(['d1v0']);
  });
});

describe('poll helper', () => {
  it('reports pending for valid ports only', () => {
    const w = world();
    const p = w.ec.allocUnbound(1, DOMID_SELF, 2);
    expect(w.ec.isPending(1, p)).toBe(false);
    expect(w.ec.isPending(1, 9999)).toBe(false);
    expect(w.ec.isPending(7, 1)).toBe(false);
  });
});
