import { createHash } from 'node:crypto';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FrameRange } from '../../../../src/qrexec/vchan/frame-allocator.js';
import type { Libxenvchan } from '../../../../src/qrexec/vchan/libxenvchan.js';
import { restoreLibxenvchan } from '../../../../src/qrexec/vchan/libxenvchan.persist.js';
import { chooseOrders } from '../../../../src/qrexec/vchan/ring-orders.js';
import { VCHAN_IFACE } from '../../../../src/qrexec/vchan/vchan-interface.js';
import { restoreGuestMemory, saveGuestMemory } from '../../../../src/vcpu/guest-memory.persist.js';
import { assemble, concat, makeHost, pattern, rng, sameBytes, VDomain, world, type World } from './support.js';
import { startTransfer } from './transfer.js';

const json = <T>(x: T): T => JSON.parse(JSON.stringify(x)) as T;

/** Everything into a fresh world, as a suspend file would carry it: memories, models, allocators, ends. */
function reload(w: World, ends: readonly Libxenvchan[]): { w2: World; ends2: Libxenvchan[] } {
  const doms = new Map<number, VDomain>();
  for (const [id, d] of w.doms) doms.set(id, new VDomain(id, d.memory ? restoreGuestMemory(json(saveGuestMemory(d.memory))) : null));
  const events = [...w.events];
  const host = makeHost(doms, events);
  host.xenstore.restore(json(w.host.xenstore.save()));
  host.evtchn.restore(json(w.host.evtchn.save()));
  host.grants.restore(json(w.host.grants.save()));
  const copy = (m: Map<number, FrameRange>) => new Map([...m].map(([id, f]) => [id, FrameRange.restore(json(f.save()))] as const));
  const w2 = assemble(host, doms, events, copy(w.frames), copy(w.slots));
  const ends2 = ends.map((e) => {
    const r = restoreLibxenvchan(host, json(e.save()), (e.role === 'server' ? w2.frames : w2.slots).get(e.domid)!);
    if (!r.ok) throw new Error(JSON.stringify(r.error));
    w2.register(r.value);
    return r.value;
  });
  return { w2, ends2 };
}

/** What a world looks like from outside: every model's saved state and every memory. */
function snapshot(w: World, ends: readonly Libxenvchan[]): string {
  return JSON.stringify({
    ends: ends.map((e) => e.save()),
    grants: w.host.grants.save(),
    evtchn: w.host.evtchn.save(),
    xenstore: w.host.xenstore.save(),
    memories: [...w.doms].map(([id, d]) => [id, d.memory ? createHash('sha256').update(d.memory.u8).digest('hex') : null]),
    frames: [...w.frames].map(([id, f]) => [id, f.save()]),
    slots: [...w.slots].map(([id, f]) => [id, f.save()]),
    events: w.events,
  });
}

/** String compare first (fast); the structural diff only when they differ. */
function expectSameWorld(a: string, b: string): void {
  if (a !== b) expect(JSON.parse(a)).toEqual(JSON.parse(b));
}

type OpKind = 'cw' | 'sw' | 'cr' | 'sr' | 'cs' | 'ss' | 'cv' | 'sv' | 'pump' | 'dr' | 'bs' | 'cclose' | 'sclose' | 'reclaim';
interface Op { kind: OpKind; n: number; seed: number }
const op: fc.Arbitrary<Op> = fc.record({
  kind: fc.oneof(
    { arbitrary: fc.constantFrom<OpKind>('cw', 'sw', 'cr', 'sr', 'cs', 'ss', 'cv', 'sv', 'pump', 'dr', 'bs'), weight: 20 },
    { arbitrary: fc.constantFrom<OpKind>('cclose', 'sclose', 'reclaim'), weight: 1 },
  ),
  n: fc.nat(1 << 18),
  seed: fc.integer(),
});

function apply(w: World, s: Libxenvchan, c: Libxenvchan, o: Op): unknown {
  const bytes = (r: Uint8Array | string): string => (typeof r === 'string' ? r : Buffer.from(r).toString('base64'));
  const [me, other] = o.kind[0] === 'c' ? [c, s] : [s, c];
  switch (o.kind) {
    case 'cw': case 'sw': return me.write(pattern(o.seed, o.n % (2 * me.writeSize + 1)));
    case 'cr': case 'sr': return bytes(me.read(o.n % (me.readSize + 1)));
    case 'cs': case 'ss': return me.send(pattern(o.seed, o.n % (me.writeSize + 2)));
    case 'cv': case 'sv': return bytes(me.recv(o.n % (me.readSize + 2)));
    case 'pump': return w.pump();
    case 'dr': return [s.dataReady(), c.dataReady()];
    case 'bs': return [s.bufferSpace(), c.bufferSpace()];
    case 'cclose': case 'sclose': me.close(); return other.state();
    case 'reclaim': return s.reclaim();
  }
}

describe('save and restore', () => {
  it('save → restore → continue equals continuing', () => {
    const orders = fc.tuple(fc.integer({ min: 10, max: 20 }), fc.integer({ min: 10, max: 20 })).map(([l, r]) => chooseOrders(2 ** l, 2 ** r)!);
    fc.assert(fc.property(orders, fc.array(op, { maxLength: 12 }), fc.array(op, { maxLength: 12 }), (o, before, after) => {
      const w = world();
      const s = w.server(1, 2, 512, 2 ** o.left, 2 ** o.right);
      const c = w.client(2, 1, 512);
      for (const x of before) apply(w, s, c, x);
      const { w2, ends2: [s2, c2] } = reload(w, [s, c]);
      expectSameWorld(snapshot(w2, [s2!, c2!]), snapshot(w, [s, c]));
      const out1 = after.map((x) => apply(w, s, c, x));
      const out2 = after.map((x) => apply(w2, s2!, c2!, x));
      expect(out2).toEqual(out1);
      expectSameWorld(snapshot(w2, [s2!, c2!]), snapshot(w, [s, c]));
    }), { numRuns: 30 });
  });

  it('refuses a state that does not parse or whose mappings are gone', () => {
    const w = world();
    w.server(1, 2, 512, 4096, 4096);
    const c = w.client(2, 1, 512);
    expect(restoreLibxenvchan(w.host, { role: 'client' }, w.slots.get(2)!)).toMatchObject({ ok: false, error: { code: 'EINVAL', step: 'restore' } });
    const state = c.save();
    w.host.grants.unmapGrantRef(2, [{ hostAddr: state.mapping!.ctrl.hostAddr, devBusAddr: 0, handle: state.mapping!.ctrl.handles[0]! }]);
    expect(restoreLibxenvchan(w.host, state, w.slots.get(2)!)).toMatchObject({ ok: false, error: { code: 'EINVAL', step: 'restore' } });
  });
});

describe('long runs', () => {
  it('keeps going when the free-running u32 indexes wrap past 2^32', () => {
    const w = world();
    const s = w.server(1, 2, 512, 4096, 4096);
    const c = w.client(2, 1, 512);
    const mem = w.doms.get(1)!.memory!, ctrl = s.share!.ctrl.gpa;
    for (const at of [VCHAN_IFACE.LEFT_CONS, VCHAN_IFACE.LEFT_PROD, VCHAN_IFACE.RIGHT_CONS, VCHAN_IFACE.RIGHT_PROD]) {
      mem.store(ctrl + at, 4, 0xffff_f000);
    }
    const data = pattern(9, 20_000);
    const t = startTransfer(w, c, s, data, 'stream', rng(9));
    w.pump();
    expect(sameBytes(concat(t.got), data)).toBe(true);
    expect(mem.load(ctrl + VCHAN_IFACE.LEFT_PROD, 4)).toBe((0xffff_f000 + 20_000) >>> 0);
  });

  it('moves 2.5 MiB each way through 1 MiB rings', () => {
    for (const dir of ['client', 'server']) {
      const w = world();
      const s = w.server(1, 2, 512, 1 << 20, 1 << 20);
      const c = w.client(2, 1, 512);
      const data = pattern(10, 5 << 19);
      const [writer, reader] = dir === 'client' ? [c, s] : [s, c];
      const t = startTransfer(w, writer, reader, data, 'stream', rng(10));
      w.pump();
      expect(t.eof).toBe(true);
      expect(sameBytes(concat(t.got), data)).toBe(true);
    }
  });
});
