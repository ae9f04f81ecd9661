import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { DOMID_SELF } from '../../../src/grant-tables/grant-domain.js';
import { GNTCOPY, GNTMAP, GTF } from '../../../src/grant-tables/grant-flags.js';
import { GrantTables } from '../../../src/grant-tables/grant-tables.js';
import { GNTST } from '../../../src/grant-tables/grant-status.js';
import { restoreGuestMemory, saveGuestMemory } from '../../../src/vcpu/guest-memory.persist.js';
import { GuestMemory, StoreResult } from '../../../src/vcpu/guest-memory.js';
import { ACCESS_FAULT, RAM_BASE } from '../../../src/vcpu/memory-layout.js';
import { TABLE, TestGrantDomain, W, data, entryFlags, gfn, guestGrant, type GrantWorld } from './support.js';

const RAM = 0x20000;
const FRAMES = 4;
const DOMS = [1, 2, 3];

type Op =
  | { op: 'grant'; granter: number; ref: number; grantee: number; frame: number; readonly: boolean }
  | { op: 'end'; granter: number; ref: number }
  | { op: 'map'; mapper: number; granter: number; ref: number; readonly: boolean; slot: number }
  | { op: 'unmap'; mapper: number; handle: number; slot: number; exact?: boolean }
  | { op: 'copy'; caller: number; granter: number; ref: number; toGrant: boolean; own: number; badArg: boolean }
  | { op: 'read'; mapper: number; slot: number }
  | { op: 'write'; mapper: number; slot: number; value: number }
  | { op: 'die' | 'revive'; dom: number };

const dom = fc.constantFrom(...DOMS);
/** Domain d mostly grants to (and is mapped by) d % 3 + 1, so that sequences reach the interesting states. */
const next = (d: number): number => (d % 3) + 1;
const usual = fc.integer({ min: 0, max: 4 }).map((n) => n > 0);
const ref = fc.oneof({ arbitrary: fc.constant(8), weight: 4 }, fc.constant(9));
const slot = fc.integer({ min: 0, max: 2 });
const grantArb = fc.record({ granter: dom, ref, other: dom, pick: usual, frame: fc.constantFrom(0, 1, 2, 3, 0, 1, 2, 3, 99), readonly: fc.boolean() })
  .map(({ granter, ref: r, other, pick, frame, readonly }): Op => ({ op: 'grant', granter, ref: r, grantee: pick ? next(granter) : other, frame, readonly }));
const mapArb = fc.record({
  granter: fc.oneof({ arbitrary: dom, weight: 8 }, fc.constantFrom(9, DOMID_SELF)), other: dom, pick: usual,
  ref: fc.oneof({ arbitrary: ref, weight: 8 }, fc.constantFrom(7, 600)), readonly: fc.boolean(), slot,
}).map(({ granter, other, pick, ref: r, readonly, slot: sl }): Op => ({
  op: 'map', mapper: pick && DOMS.includes(granter) ? next(granter) : other, granter, ref: r, readonly, slot: sl,
}));
const copyArb = fc.record({ granter: dom, other: dom, pick: usual, ref, toGrant: fc.boolean(), own: fc.integer({ min: 0, max: FRAMES - 1 }), badArg: fc.boolean() })
  .map(({ granter, other, pick, ...rest }): Op => ({ op: 'copy', caller: pick ? next(granter) : other, granter, ...rest }));
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: grantArb, weight: 4 },
  fc.record({ op: fc.constant('end' as const), granter: dom, ref }),
  { arbitrary: mapArb, weight: 6 },
  { arbitrary: fc.record({ op: fc.constant('unmap' as const), mapper: dom, handle: fc.integer({ min: 0, max: 3 }), slot: fc.constantFrom(-1, 0, 1, 2, 3), exact: usual }), weight: 3 },
  { arbitrary: copyArb, weight: 2 },
  { arbitrary: fc.record({ op: fc.constant('read' as const), mapper: dom, slot }), weight: 3 },
  { arbitrary: fc.record({ op: fc.constant('write' as const), mapper: dom, slot, value: fc.integer({ min: 1, max: 0xffff }) }), weight: 3 },
  fc.record({ op: fc.constantFrom('die' as const, 'revive' as const), dom }),
);

/** A domain incarnation of the reference model: its frames' tag words and the entries its guest wrote. */
interface RefDom { id: number; tags: number[]; entries: Map<number, { grantee: number; frame: number; readonly: boolean }> }
interface RefActive { mapper: number; rw: number; ro: number; frame: number }
interface RefMapping { granter: RefDom; ref: number; readonly: boolean; slot: number }

/** The grant rules restated (reference/xen-nova.md §2), with each frame's first word tracked. */
class RefModel {
  live = new Map<number, RefDom>();
  active = new Map<RefDom, Map<number, RefActive>>();
  maps = new Map<number, Map<number, RefMapping>>();
  private serial = 0;

  add(id: number): RefDom {
    const d: RefDom = { id, tags: Array.from({ length: FRAMES }, (_, f) => tag(id, f, this.serial++)), entries: new Map() };
    this.live.set(id, d);
    this.active.set(d, new Map());
    this.maps.set(id, new Map());
    return d;
  }

  pinned(d: RefDom, r: number): RefActive | undefined { return this.active.get(d)?.get(r); }

  grant(o: Extract<Op, { op: 'grant' }>): null {
    const d = this.live.get(o.granter);
    if (d && !this.pinned(d, o.ref)) d.entries.set(o.ref, { grantee: o.grantee, frame: o.frame, readonly: o.readonly });
    return null;
  }

  end(o: Extract<Op, { op: 'end' }>): boolean {
    const d = this.live.get(o.granter);
    if (!d || this.pinned(d, o.ref)) return false;
    d.entries.delete(o.ref);
    return true;
  }

  /** Status of claiming (granter, ref) for `user`, and the frame index behind it. */
  private claim(user: number, d: RefDom | undefined, r: number, readonly: boolean): number | { frame: number } {
    if (!d) return GNTST.bad_domain;
    if (r >= 512) return GNTST.bad_gntref;
    const act = this.pinned(d, r);
    if (act && act.mapper !== user) return GNTST.general_error;
    const e = d.entries.get(r);
    if ((!act || (!readonly && act.rw === 0)) && (!e || e.grantee !== user || (!readonly && e.readonly))) return GNTST.general_error;
    const frame = act ? act.frame : e!.frame;
    return frame < FRAMES ? { frame } : GNTST.bad_page;
  }

  map(o: Extract<Op, { op: 'map' }>): { status: number; handle: number } {
    const d = this.live.get(o.granter);
    const c = this.claim(o.mapper, d, o.ref, o.readonly);
    if (typeof c === 'number') return { status: c, handle: -1 };
    const ms = this.maps.get(o.mapper)!;
    if ([...ms.values()].some((m) => m.slot === o.slot)) return { status: GNTST.general_error, handle: -1 };
    const acts = this.active.get(d!)!;
    const act = acts.get(o.ref) ?? { mapper: o.mapper, rw: 0, ro: 0, frame: c.frame };
    if (o.readonly) act.ro++; else act.rw++;
    acts.set(o.ref, act);
    let handle = 0;
    while (ms.has(handle)) handle++;
    ms.set(handle, { granter: d!, ref: o.ref, readonly: o.readonly, slot: o.slot });
    return { status: GNTST.okay, handle };
  }

  unmap(o: Extract<Op, { op: 'unmap' }>): number {
    const ms = this.maps.get(o.mapper);
    const m = ms?.get(o.handle);
    if (!ms || !m) return GNTST.bad_handle;
    if (o.slot < 0) return GNTST.okay;
    if (o.slot !== m.slot) return GNTST.general_error;
    this.release(ms, o.handle, m);
    return GNTST.okay;
  }

  private release(ms: Map<number, RefMapping>, handle: number, m: RefMapping): void {
    ms.delete(handle);
    const acts = this.active.get(m.granter)!;
    const act = acts.get(m.ref)!;
    if (m.readonly) act.ro--; else act.rw--;
    if (act.ro + act.rw === 0) acts.delete(m.ref);
  }

  copy(o: Extract<Op, { op: 'copy' }>): number {
    const d = this.live.get(o.granter);
    const c = this.claim(o.caller, d, o.ref, !o.toGrant);
    if (typeof c === 'number') return c;
    if (o.badArg) return GNTST.bad_copy_arg;
    const self = this.live.get(o.caller)!;
    if (o.toGrant) d!.tags[c.frame] = self.tags[o.own]!;
    else self.tags[o.own] = d!.tags[c.frame]!;
    return GNTST.okay;
  }

  private at(mapper: number, s: number): RefMapping | undefined {
    return [...(this.maps.get(mapper)?.values() ?? [])].find((m) => m.slot === s);
  }

  read(o: Extract<Op, { op: 'read' }>): number {
    const m = this.at(o.mapper, o.slot);
    return m ? m.granter.tags[this.active.get(m.granter)!.get(m.ref)!.frame]! : ACCESS_FAULT;
  }

  write(o: Extract<Op, { op: 'write' }>): boolean {
    const m = this.at(o.mapper, o.slot);
    if (!m || m.readonly) return false;
    m.granter.tags[this.active.get(m.granter)!.get(m.ref)!.frame] = o.value;
    return true;
  }

  die(id: number): void {
    const ms = this.maps.get(id);
    if (ms) for (const [h, m] of [...ms]) this.release(ms, h, m);
    this.maps.delete(id);
    this.live.delete(id);
  }
}

const tag = (id: number, frame: number, serial: number): number => ((serial << 16) | (id << 8) | frame) >>> 0;

interface Sim { w: GrantWorld; ref: RefModel; incarnations: Map<RefDom, GuestMemory> }

function addDomain(s: Sim, id: number): void {
  const d = new TestGrantDomain(id, new GuestMemory(RAM));
  s.w.doms.set(id, d);
  const r = s.ref.add(id);
  s.incarnations.set(r, d.memory!);
  r.tags.forEach((t, f) => d.memory!.store(data(f), 4, t));
  expect(s.w.gt.setupTable(id, id, [TABLE])).toBe(GNTST.okay);
}

function fresh(): Sim {
  const doms = new Map<number, TestGrantDomain>();
  const gt = new GrantTables({ domain: (id) => doms.get(id) });
  const w: GrantWorld = { gt, doms, add: () => { throw new Error('unused'); }, mem: (id) => doms.get(id)!.memory! };
  const s: Sim = { w, ref: new RefModel(), incarnations: new Map() };
  for (const id of DOMS) addDomain(s, id);
  for (const id of DOMS) {
    run(s, { op: 'grant', granter: id, ref: 8, grantee: next(id), frame: 0, readonly: false });
    run(s, { op: 'grant', granter: id, ref: 9, grantee: next(id), frame: 1, readonly: true });
  }
  return s;
}

/** Applies an operation to the implementation; returns what the guest or caller observes. */
function apply(s: Sim, o: Op): unknown {
  const { w } = s;
  const alive = (id: number): boolean => w.doms.has(id);
  switch (o.op) {
    case 'grant':
      if (alive(o.granter) && (entryFlags(w, o.granter, o.ref) & (GTF.reading | GTF.writing)) === 0) {
        guestGrant(w, o.granter, o.ref, o.grantee, o.frame === 99 ? RAM_BASE + 0x100000 : data(o.frame), o.readonly);
      }
      return null;
    case 'end': return w.gt.endForeignAccess(o.granter, o.ref);
    case 'map': {
      if (!alive(o.mapper)) return null;
      const r = w.gt.mapGrantRef(o.mapper, [{ hostAddr: W + o.slot * 0x1000, flags: GNTMAP.host_map | (o.readonly ? GNTMAP.readonly : 0), ref: o.ref, dom: o.granter }])[0]!;
      return { status: r.status, handle: r.handle };
    }
    case 'unmap':
      if (!alive(o.mapper)) return null;
      return w.gt.unmapGrantRef(o.mapper, [{ hostAddr: o.slot < 0 ? 0 : W + o.slot * 0x1000, devBusAddr: 0, handle: o.handle }])[0];
    case 'copy': {
      if (!alive(o.caller)) return null;
      const g = { u: o.ref, domid: o.granter, offset: o.badArg ? 4094 : 0 };
      const own = { u: gfn(data(o.own)), domid: DOMID_SELF, offset: 0 };
      const op = o.toGrant ? { source: own, dest: g, len: 4, flags: GNTCOPY.dest_gref } : { source: g, dest: own, len: 4, flags: GNTCOPY.source_gref };
      return w.gt.copy(o.caller, [op])[0];
    }
    case 'read': return alive(o.mapper) ? w.mem(o.mapper).load(W + o.slot * 0x1000, 4) : null;
    case 'write': return alive(o.mapper) ? w.mem(o.mapper).store(W + o.slot * 0x1000, 4, o.value) === StoreResult.OK : null;
    case 'die': {
      const d = w.doms.get(o.dom);
      if (!d) return null;
      d.dying = true;
      w.gt.domainDied(o.dom);
      w.doms.delete(o.dom);
      return null;
    }
    case 'revive': return null;
  }
}

function predict(s: Sim, o: Op): unknown {
  const { ref } = s;
  const alive = (id: number): boolean => ref.live.has(id);
  switch (o.op) {
    case 'grant': return ref.grant(o);
    case 'end': return ref.end(o);
    case 'map': return alive(o.mapper) ? ref.map(o) : null;
    case 'unmap': return alive(o.mapper) ? ref.unmap(o) : null;
    case 'copy': return alive(o.caller) ? ref.copy(o) : null;
    case 'read': return alive(o.mapper) ? ref.read(o) : null;
    case 'write': return alive(o.mapper) ? ref.write(o) : null;
    case 'die': if (alive(o.dom)) ref.die(o.dom); return null;
    case 'revive': return null;
  }
}

/** Every frame of every incarnation holds exactly what the rules allow; entry flags match the pins. */
function check(s: Sim): void {
  for (const [r, memory] of s.incarnations) {
    expect(r.tags.map((_, f) => memory.load(data(f), 4))).toEqual(r.tags);
    const acts = s.ref.active.get(r)!;
    if (s.ref.live.get(r.id) !== r) continue;
    for (let e = 7; e <= 9; e++) {
      const act = acts.get(e);
      const flags = memory.load(TABLE + e * 8, 2) & (GTF.reading | GTF.writing);
      expect(flags).toBe(act ? GTF.reading | (act.rw > 0 ? GTF.writing : 0) : 0);
    }
  }
}

/** An exact unmap names the handle of the model's mapping at its slot (the guest remembers its handles). */
function resolve(s: Sim, o: Op): Op {
  if (o.op !== 'unmap' || !o.exact) return o;
  const hit = [...(s.ref.maps.get(o.mapper) ?? [])].find(([, m]) => m.slot === o.slot);
  return { ...o, handle: hit ? hit[0] : o.handle };
}

/** Runs one operation on the implementation and the model and compares what each observes. */
function run(s: Sim, o: Op): { op: Op; observed: unknown } {
  if (o.op === 'revive') {
    if (!s.w.doms.has(o.dom)) addDomain(s, o.dom);
    return { op: o, observed: null };
  }
  const r = resolve(s, o);
  const observed = apply(s, r);
  expect(observed).toEqual(predict(s, r));
  return { op: r, observed };
}

describe('grant tables against the reference model', () => {
  it('agree on statuses, handles, reads, writes and frame contents for random sequences', () => {
    fc.assert(fc.property(fc.array(opArb, { minLength: 20, maxLength: 70 }), (ops) => {
      const s = fresh();
      for (const o of ops) {
        run(s, o);
        check(s);
      }
    }), { numRuns: 120 });
  });
});

function snapshot(w: GrantWorld): GrantWorld {
  const state = JSON.parse(JSON.stringify(w.gt.save()));
  const doms = new Map<number, TestGrantDomain>();
  for (const [id, d] of w.doms) doms.set(id, new TestGrantDomain(id, restoreGuestMemory(saveGuestMemory(d.memory!))));
  const gt = new GrantTables({ domain: (id) => doms.get(id) });
  gt.restore(state);
  return { gt, doms, add: () => { throw new Error('unused'); }, mem: (id) => doms.get(id)!.memory! };
}

describe('grant tables across save and restore', () => {
  it('continue after save → restore exactly as they would have without it', () => {
    fc.assert(fc.property(fc.array(opArb, { minLength: 10, maxLength: 40 }), fc.array(opArb, { minLength: 10, maxLength: 40 }), (before, after) => {
      const s = fresh();
      for (const o of before) run(s, o);
      const s2 = snapshot(s.w);
      for (const o of after) {
        const { op, observed } = run(s, o);
        if (op.op === 'revive') {
          if (!s2.doms.has(op.dom)) {
            s2.doms.set(op.dom, new TestGrantDomain(op.dom, restoreGuestMemory(saveGuestMemory(s.w.mem(op.dom)))));
            s2.gt.setupTable(op.dom, op.dom, [TABLE]);
          }
          continue;
        }
        expect(apply({ ...s, w: s2 }, op)).toEqual(observed);
      }
      expect(s2.gt.dump()).toEqual(s.w.gt.dump());
      expect(s2.gt.save()).toEqual(s.w.gt.save());
      for (const [id, d] of s.w.doms) expect(saveGuestMemory(s2.doms.get(id)!.memory!)).toEqual(saveGuestMemory(d.memory!));
    }), { numRuns: 80 });
  });
});
