import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DOMID_SELF } from '../../../src/event-channels/evtchn-domain.js';
import type { EventChannels } from '../../../src/event-channels/event-channels.js';
import { ECS } from '../../../src/event-channels/port-state.js';
import { SHARED_INFO } from '../../../src/event-channels/shared-info.js';
import { NR_VIRQS, virqClass } from '../../../src/event-channels/virq.js';
import { restoreGuestMemory, saveGuestMemory } from '../../../src/vcpu/guest-memory.persist.js';
import { RAM_BASE } from '../../../src/vcpu/memory-layout.js';
import { RefModel } from './reference-model.js';
import { TestDomain, world, type World } from './support.js';

const SI = RAM_BASE + 0x2000;
const MAX_PORT: Record<number, number> = { 1: 1023, 2: 1023, 3: 4 };

type Op =
  | { op: 'alloc'; caller: number; dom: number; remote: number }
  | { op: 'bind'; caller: number; dom: number; port: number }
  | { op: 'virq'; caller: number; virq: number; vcpu: number }
  | { op: 'ipi'; caller: number; vcpu: number }
  | { op: 'send' | 'close' | 'unmask' | 'mask'; caller: number; port: number }
  | { op: 'vcpu'; caller: number; port: number; vcpu: number }
  | { op: 'handler'; caller: number; vcpu: number }
  | { op: 'die' | 'revive'; dom: number };

const caller = fc.integer({ min: 0, max: 3 });
const dom = fc.constantFrom(DOMID_SELF, 0, 1, 2, 3, 4);
const port = fc.integer({ min: 0, max: 5 });
const vcpu = fc.integer({ min: 0, max: 2 });
const guest = fc.integer({ min: 1, max: 3 });
const low = fc.integer({ min: 1, max: 3 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  fc.record({ op: fc.constant('alloc' as const), caller, dom, remote: fc.constantFrom(DOMID_SELF, 0, 1, 2, 3) }),
  fc.record({ op: fc.constant('bind' as const), caller, dom, port }),
  { arbitrary: fc.record({ op: fc.constant('alloc' as const), caller: guest, dom: fc.constant(DOMID_SELF), remote: guest }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('bind' as const), caller: guest, dom: guest, port: low }), weight: 3 },
  fc.record({ op: fc.constant('virq' as const), caller, virq: fc.constantFrom(0, 1, 3, 11, 24), vcpu }),
  fc.record({ op: fc.constant('ipi' as const), caller, vcpu }),
  fc.record({ op: fc.constantFrom('send' as const, 'close' as const, 'unmask' as const), caller, port }),
  { arbitrary: fc.record({ op: fc.constant('send' as const), caller: guest, port: low }), weight: 3 },
  fc.record({ op: fc.constant('mask' as const), caller: guest, port }),
  fc.record({ op: fc.constant('vcpu' as const), caller, port, vcpu }),
  fc.record({ op: fc.constant('handler' as const), caller: guest, vcpu: fc.integer({ min: 0, max: 1 }) }),
  fc.record({ op: fc.constantFrom('die' as const, 'revive' as const), dom: guest }),
);

function start(w: World, id: number): void {
  w.ec.addDomain(id, { maxEventChannels: MAX_PORT[id]! });
  expect(w.ec.registerSharedInfo(id, SI)).toBe(0);
}

function fresh(): { w: World; ref: RefModel } {
  const w = world(3, 0x10000);
  w.ec.addDomain(0);
  const ref = new RefModel();
  ref.add(0, 1023, 0);
  for (const id of [1, 2, 3]) { start(w, id); ref.add(id, MAX_PORT[id]!, 2); }
  return { w, ref };
}

/** The guest's upcall handler, reading and writing its shared-info page as guest code would. */
function guestHandler(w: World, id: number, v: number): void {
  const mem = w.doms.get(id)?.memory;
  if (!mem) return;
  const info = SI + v * SHARED_INFO.VCPU_INFO_SIZE;
  mem.store(info + SHARED_INFO.UPCALL_PENDING, 1, 0);
  const sel = mem.load(info + SHARED_INFO.PENDING_SEL, 4);
  mem.store(info + SHARED_INFO.PENDING_SEL, 4, 0);
  for (let word = 0; word < 32; word++) {
    if (((sel >>> word) & 1) === 0) continue;
    const pend = SI + SHARED_INFO.EVTCHN_PENDING + word * 4;
    mem.store(pend, 4, (mem.load(pend, 4) & mem.load(SI + SHARED_INFO.EVTCHN_MASK + word * 4, 4)) >>> 0);
  }
}

/** Applies one operation to the implementation; returns its result (or null when it has none). */
function apply(w: World, o: Op): number | null {
  const ec = w.ec;
  switch (o.op) {
    case 'alloc': return ec.allocUnbound(o.caller, o.dom, o.remote);
    case 'bind': return ec.bindInterdomain(o.caller, o.dom, o.port);
    case 'virq': return ec.bindVirq(o.caller, o.virq, o.vcpu);
    case 'ipi': return ec.bindIpi(o.caller, o.vcpu);
    case 'send': return ec.send(o.caller, o.port);
    case 'close': return ec.close(o.caller, o.port);
    case 'unmask': return ec.unmask(o.caller, o.port);
    case 'vcpu': return ec.bindVcpu(o.caller, o.port, o.vcpu);
    case 'mask': ec.table(o.caller)?.sharedInfo.setMask(o.port); return null;
    case 'handler': guestHandler(w, o.caller, o.vcpu); return null;
    case 'die': {
      const d = w.doms.get(o.dom);
      if (!d) return null;
      d.dying = true;
      ec.domainDied(o.dom);
      w.doms.delete(o.dom);
      return null;
    }
    case 'revive':
      if (w.doms.has(o.dom)) return null;
      w.add(o.dom);
      start(w, o.dom);
      return null;
  }
}

function applyRef(ref: RefModel, o: Op): number | null {
  switch (o.op) {
    case 'alloc': return ref.allocUnbound(o.caller, o.dom, o.remote);
    case 'bind': return ref.bindInterdomain(o.caller, o.dom, o.port);
    case 'virq': return ref.bindVirq(o.caller, o.virq, o.vcpu);
    case 'ipi': return ref.bindIpi(o.caller, o.vcpu);
    case 'send': return ref.send(o.caller, o.port);
    case 'close': return ref.close(o.caller, o.port);
    case 'unmask': return ref.unmask(o.caller, o.port);
    case 'vcpu': return ref.bindVcpu(o.caller, o.port, o.vcpu);
    case 'mask': if (ref.doms.has(o.caller)) ref.mask(o.caller, o.port); return null;
    case 'handler': ref.guestHandler(o.caller, o.vcpu); return null;
    case 'die': if (ref.doms.has(o.dom)) ref.domainDied(o.dom); return null;
    case 'revive': if (!ref.doms.has(o.dom)) ref.add(o.dom, MAX_PORT[o.dom]!, 2); return null;
  }
}

/** Structural invariants of the implementation's tables; returns the violations found. */
function violations(ec: EventChannels): string[] {
  const bad: string[] = [];
  for (const id of ec.domains()) {
    const t = ec.table(id)!;
    if (t.state[0] !== ECS.RESERVED) bad.push(`d${id}: port 0 not reserved`);
    const virqs = new Map<number, number>();
    for (const p of t.usedPorts()) {
      const s = t.state[p];
      if (p === 0) continue;
      if (s !== ECS.UNBOUND && s !== ECS.INTERDOMAIN && s !== ECS.VIRQ && s !== ECS.IPI) bad.push(`d${id}p${p}: state ${s}`);
      if (s === ECS.INTERDOMAIN) {
        const r = ec.table(t.remoteDom[p]);
        const rp = t.remotePort[p];
        if (!r || r.state[rp] !== ECS.INTERDOMAIN || r.remoteDom[rp] !== id || r.remotePort[rp] !== p) bad.push(`d${id}p${p}: asymmetric`);
      }
      if (s === ECS.VIRQ) virqs.set((virqClass(t.remotePort[p]) === 'vcpu' ? t.notifyVcpu[p] : 0) * NR_VIRQS + t.remotePort[p], p);
    }
    for (let p = 1; p < 64 && p < t.limit; p++) if (t.state[p] === ECS.FREE && t.sharedInfo.isPending(p)) bad.push(`d${id}p${p}: free but pending`);
    t.virqPorts.forEach((p, slot) => { if (p !== 0 && virqs.get(slot) !== p) bad.push(`d${id}: stale VIRQ slot ${slot}`); });
    if ([...virqs].some(([slot, p]) => t.virqPorts[slot] !== p)) bad.push(`d${id}: VIRQ port missing from its slot`);
  }
  return bad;
}

function compare(w: World, ref: RefModel): void {
  for (const id of [0, 1, 2, 3]) {
    expect(w.ec.list(id)).toEqual(ref.list(id));
    const r = ref.doms.get(id);
    if (r) for (let v = 0; v < r.vcpus; v++) expect(w.ec.upcallPending(id, v)).toBe(r.upcall[v]);
  }
  expect(w.notes).toEqual(ref.notes);
}

describe('event channels against the reference model', () => {
  it('agree on every result, listing, upcall and notification for random operation sequences', () => {
    fc.assert(fc.property(fc.array(opArb, { minLength: 30, maxLength: 80 }), (ops) => {
      const { w, ref } = fresh();
      for (const o of ops) {
        expect(apply(w, o)).toBe(applyRef(ref, o));
        expect(violations(w.ec)).toEqual([]);
        compare(w, ref);
      }
    }), { numRuns: 150 });
  });
});

/** A second world restored from a snapshot of `w` (event-channel state plus guest memories). */
function snapshot(w: World): World {
  const state = JSON.parse(JSON.stringify(w.ec.save()));
  const w2 = world(0, 0x10000);
  for (const [id, d] of w.doms) {
    if (id !== 0) w2.doms.set(id, new TestDomain(id, restoreGuestMemory(saveGuestMemory(d.memory!)), d.vcpuCount));
  }
  w2.ec.restore(state);
  return w2;
}

describe('event channels across save and restore', () => {
  it('continue after save → restore exactly as they would have without it', () => {
    fc.assert(fc.property(fc.array(opArb, { minLength: 10, maxLength: 40 }), fc.array(opArb, { minLength: 10, maxLength: 40 }), (before, after) => {
      const { w } = fresh();
      for (const o of before) apply(w, o);
      const w2 = snapshot(w);
      w.notes.length = 0;
      for (const o of after) expect(apply(w2, o)).toBe(apply(w, o));
      expect(w2.notes).toEqual(w.notes);
      expect(w2.ec.save()).toEqual(w.ec.save());
      for (const [id, d] of w.doms) {
        if (id !== 0) expect(saveGuestMemory(w2.doms.get(id)!.memory!)).toEqual(saveGuestMemory(d.memory!));
      }
    }), { numRuns: 100 });
  });
});
