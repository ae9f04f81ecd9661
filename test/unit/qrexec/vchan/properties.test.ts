import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Libxenvchan } from '../../../../src/qrexec/vchan/libxenvchan.js';
import { chooseOrders, type RingOrders } from '../../../../src/qrexec/vchan/ring-orders.js';
import { VCHAN_IFACE } from '../../../../src/qrexec/vchan/vchan-interface.js';
import { concat, pattern, rng, sameBytes, world, type World } from './support.js';
import { startTransfer, type Api } from './transfer.js';

/** Any pair of orders a server can choose (10 only together with 11). */
const orders = fc.tuple(fc.integer({ min: 10, max: 20 }), fc.integer({ min: 10, max: 20 }))
  .map(([l, r]) => chooseOrders(2 ** l, 2 ** r)!);
const direction = fc.constantFrom('client-writes' as const, 'server-writes' as const);
const api = fc.constantFrom<Api>('stream', 'packet');

function connect(o: RingOrders): { w: World; s: Libxenvchan; c: Libxenvchan } {
  const w = world();
  const s = w.server(1, 2, 512, 2 ** o.left, 2 ** o.right);
  const c = w.client(2, 1, 512);
  w.pump();
  return { w, s, c };
}

/** Nothing is left behind: frames, slots and grant refs all back once both ends are closed. */
function expectAllReleased(w: World, s: Libxenvchan): void {
  expect(s.reclaim()).toBe(0);
  expect(w.frames.get(1)!.inUse()).toBe(0);
  expect(w.slots.get(2)?.inUse() ?? 0).toBe(0);
  expect(w.host.grants.freeRef(1)).toBe(8);
}

describe('vchan properties', () => {
  it('delivers every byte once and in order for all ring orders, both directions, stream and packet, with slow readers', () => {
    fc.assert(fc.property(orders, direction, api, fc.integer(), fc.double({ min: 0, max: 2.5, noNaN: true }), (o, dir, how, seed, fill) => {
      const { w, s, c } = connect(o);
      const [writer, reader] = dir === 'client-writes' ? [c, s] : [s, c];
      const size = writer.writeSize;
      const data = pattern(seed, Math.min(Math.floor(fill * size), 400_000));
      const t = startTransfer(w, writer, reader, data, how, rng(seed));
      w.pump();
      expect(t.writerClosed).toBe(true);
      expect(t.eof).toBe(true);
      expect(sameBytes(concat(t.got), data)).toBe(true);
      reader.close();
      expectAllReleased(w, s);
    }), { numRuns: 60 });
  });

  it('on a peer\'s death mid-stream the reader gets exactly what was accepted, then eof; the writer gets closed', () => {
    fc.assert(fc.property(orders, direction, api, fc.integer(), fc.nat(400), fc.constantFrom('writer' as const, 'reader' as const),
      (o, dir, how, seed, killAfter, victim) => {
        const { w, s, c } = connect(o);
        const [writer, reader] = dir === 'client-writes' ? [c, s] : [s, c];
        const data = pattern(seed, Math.min(3 * writer.writeSize, 200_000));
        const t = startTransfer(w, writer, reader, data, how, rng(seed));
        w.steps(killAfter);
        const [dead, survivor] = victim === 'writer' ? [writer, reader] : [reader, writer];
        const sentAtDeath = t.sent;
        const gotAtDeath = concat(t.got).length;
        w.kill(dead.domid);
        t.dead.add(dead);
        survivor.onEvent();
        w.pump();
        const got = concat(t.got);
        if (victim === 'writer') {
          expect(t.eof).toBe(true);
          expect(sameBytes(got, data.subarray(0, sentAtDeath))).toBe(true);
        } else {
          expect(got.length).toBe(gotAtDeath);
          expect(sameBytes(got, data.subarray(0, got.length))).toBe(true);
          if (!t.writerClosed) {
            expect(t.writeClosed || t.sent === data.length || writer.write(new Uint8Array(1)) === -1).toBe(true);
            expect(writer.write(new Uint8Array(1))).toBe(-1);
          }
        }
        survivor.close();
        if (survivor === s) {
          expect(s.reclaim()).toBe(0);
          expect(w.frames.get(1)!.inUse()).toBe(0);
        } else {
          expect(w.slots.get(2)!.inUse()).toBe(0);
          expect(w.host.grants.dump().find((d) => d.domid === 1)).toBeUndefined();
        }
      }), { numRuns: 60 });
  });
});

const FIELDS = [
  [VCHAN_IFACE.LEFT_CONS, 4], [VCHAN_IFACE.LEFT_PROD, 4], [VCHAN_IFACE.RIGHT_CONS, 4], [VCHAN_IFACE.RIGHT_PROD, 4],
  [VCHAN_IFACE.LEFT_ORDER, 2], [VCHAN_IFACE.RIGHT_ORDER, 2], [VCHAN_IFACE.CLI_LIVE, 1], [VCHAN_IFACE.SRV_LIVE, 1],
  [VCHAN_IFACE.CLI_NOTIFY, 1], [VCHAN_IFACE.SRV_NOTIFY, 1], [VCHAN_IFACE.GRANTS, 4],
] as const;
const hostileValue = fc.oneof(
  fc.constantFrom(0, 1, 2, 0x3ff, 0x400, 0x401, 0xfff, 0x1000, 0x10_0000, 0x10_0001, 0x7fff_ffff, 0x8000_0000, 0xffff_ffff),
  fc.nat({ max: 0xffff_ffff }),
);
const hostileWrite = fc.record({ field: fc.nat(FIELDS.length - 1), value: hostileValue, relative: fc.boolean() });
const victimOp = fc.record({
  kind: fc.constantFrom('read', 'readInto', 'recv', 'write', 'send', 'dataReady', 'bufferSpace', 'onEvent', 'state'),
  n: fc.nat(1 << 21),
  writes: fc.array(hostileWrite, { maxLength: 3 }),
});

describe('hostile peer', () => {
  it('never makes the victim throw, return more than its ring, or touch memory outside the shared frames', () => {
    fc.assert(fc.property(orders, fc.constantFrom('server' as const, 'client' as const), fc.nat(5000), fc.array(victimOp, { maxLength: 25 }),
      (o, victimRole, warm, ops) => {
        const { w, s, c } = connect(o);
        c.write(pattern(warm, warm));
        s.read(warm >> 1);
        s.write(pattern(warm + 1, warm));
        const victim = victimRole === 'server' ? s : c;
        const mem1 = w.doms.get(1)!.memory!, mem2 = w.doms.get(2)!.memory!;
        const shared = [s.share!.ctrl, s.share!.left, s.share!.right].flatMap((r) => (r ? [[r.gpa - 0x8000_0000, r.refs.length * 4096]] : []));
        const before1 = mem1.u8.slice(), before2 = mem2.u8.slice();
        const ctrl = s.share!.ctrl.gpa;
        for (const op of ops) {
          for (const h of op.writes) {
            const [at, size] = FIELDS[h.field]!;
            const base = h.relative ? mem1.load(ctrl + at, size) : 0;
            mem1.store(ctrl + at, size, (base + h.value) >>> 0);
          }
          const max = Math.max(victim.readSize, victim.writeSize);
          switch (op.kind) {
            case 'read': {
              const r = victim.read(op.n);
              if (r instanceof Uint8Array) expect(r.length).toBeLessThanOrEqual(Math.min(op.n, victim.readSize));
              break;
            }
            case 'readInto': {
              const n = Math.min(op.n, 4096);
              const r = victim.readInto(new Uint8Array(n));
              expect(r).toBeGreaterThanOrEqual(-1);
              expect(r).toBeLessThanOrEqual(n);
              break;
            }
            case 'recv': {
              const r = victim.recv(op.n);
              if (r instanceof Uint8Array) expect(r.length).toBe(op.n);
              break;
            }
            case 'write': {
              const n = Math.min(op.n, max * 2);
              const r = victim.write(new Uint8Array(n));
              expect(r).toBeGreaterThanOrEqual(-1);
              expect(r).toBeLessThanOrEqual(Math.min(n, victim.writeSize));
              break;
            }
            case 'send': {
              const n = Math.min(op.n, max * 2);
              expect([0, n, -1, -2]).toContain(victim.send(new Uint8Array(n)));
              break;
            }
            case 'dataReady': {
              const r = victim.dataReady();
              expect(r >= 0 && r <= victim.readSize).toBe(true);
              break;
            }
            case 'bufferSpace': {
              const r = victim.bufferSpace();
              expect(r >= 0 && r <= victim.writeSize).toBe(true);
              break;
            }
            case 'onEvent': victim.onEvent(); break;
            case 'state': expect(['connected', 'waiting', 'disconnected']).toContain(victim.state()); break;
          }
        }
        victim.close();
        const outside = (a: Uint8Array, b: Uint8Array, holes: number[][]): boolean => {
          let from = 0;
          for (const [off, len] of [...holes].sort((x, y) => x[0]! - y[0]!)) {
            if (Buffer.compare(a.subarray(from, off), b.subarray(from, off)) !== 0) return false;
            from = off! + len!;
          }
          return Buffer.compare(a.subarray(from), b.subarray(from)) === 0;
        };
        // The server's grant table changes when grants end at close; everything else is untouched.
        const table = [[0x1000, 0x2000]];
        expect(outside(mem1.u8, before1, [...shared, ...table])).toBe(true);
        expect(outside(mem2.u8, before2, [])).toBe(true);
      }), { numRuns: 80 });
  });
});
