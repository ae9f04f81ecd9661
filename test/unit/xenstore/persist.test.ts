import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { XenStore } from '../../../src/xenstore/xenstore.js';
import type { XenStoreState } from '../../../src/xenstore/xenstore.persist.js';
import { xsWorld } from './support.js';

type Op =
  | { op: 'write'; dom: number; path: string; value: string; tx: number }
  | { op: 'mkdir' | 'rm' | 'read' | 'directory' | 'getPerms'; dom: number; path: string; tx: number }
  | { op: 'setPerms'; dom: number; path: string; perms: readonly string[]; tx: number }
  | { op: 'watch' | 'unwatch'; dom: number; path: string; token: string }
  | { op: 'start'; dom: number }
  | { op: 'end'; dom: number; slot: number; commit: boolean }
  | { op: 'died' | 'introduce'; dom: number };

const dom = fc.constantFrom(0, 1, 2);
const path = fc.constantFrom('data', 'data/a', 'data/a/b', 'data/c', '/local/domain/1/data/x', '/local/domain/2/data', '/t', '/t/u', 'control', '/bad//path');
const tx = fc.integer({ min: 0, max: 2 });
const opArb: fc.Arbitrary<Op> = fc.oneof(
  { arbitrary: fc.record({ op: fc.constant('write' as const), dom, path, value: fc.constantFrom('', 'v', 'w'), tx }), weight: 4 },
  fc.record({ op: fc.constantFrom('mkdir' as const, 'rm' as const, 'read' as const, 'directory' as const, 'getPerms' as const), dom, path, tx }),
  fc.record({ op: fc.constant('setPerms' as const), dom, path, perms: fc.constantFrom(['n1'], ['n1', 'r2'], ['b0'], ['n2', 'w1']), tx }),
  fc.record({ op: fc.constantFrom('watch' as const, 'unwatch' as const), dom, path, token: fc.constantFrom('a', 'b') }),
  fc.record({ op: fc.constant('start' as const), dom }),
  fc.record({ op: fc.constant('end' as const), dom, slot: fc.integer({ min: 0, max: 2 }), commit: fc.boolean() }),
  fc.record({ op: fc.constantFrom('died' as const, 'introduce' as const), dom: fc.constantFrom(1, 2) }),
);

interface Run { xs: XenStore; events: string[]; txs: number[] }

function make(): Run {
  const { xs, events } = xsWorld();
  return { xs, events, txs: [] };
}

function apply(r: Run, o: Op): unknown {
  const t = 'tx' in o && o.tx > 0 ? (r.txs[o.tx - 1] ?? 0) : 0;
  switch (o.op) {
    case 'write': return r.xs.write(o.dom, o.path, o.value, t);
    case 'mkdir': return r.xs.mkdir(o.dom, o.path, t);
    case 'rm': return r.xs.rm(o.dom, o.path, t);
    case 'read': return r.xs.read(o.dom, o.path, t);
    case 'directory': return r.xs.directory(o.dom, o.path, t);
    case 'getPerms': return r.xs.getPerms(o.dom, o.path, t);
    case 'setPerms': return r.xs.setPerms(o.dom, o.path, o.perms, t);
    case 'watch': return r.xs.watch(o.dom, o.path, o.token);
    case 'unwatch': return r.xs.unwatch(o.dom, o.path, o.token);
    case 'start': { const s = r.xs.transactionStart(o.dom); if (s.ok) r.txs.push(s.value); return s; }
    case 'end': return r.xs.transactionEnd(o.dom, r.txs[o.slot] ?? 0, o.commit);
    case 'died': r.xs.domainDied(o.dom); return null;
    case 'introduce': r.xs.introduceDomain(o.dom); return null;
  }
}

function reload(r: Run): Run {
  const state = JSON.parse(JSON.stringify(r.xs.save())) as XenStoreState;
  const r2: Run = { xs: undefined as unknown as XenStore, events: [], txs: [...r.txs] };
  r2.xs = new XenStore({ onWatchEvent: (d, p, t) => { r2.events.push(`d${d} ${p} ${t}`); } });
  r2.xs.restore(state);
  return r2;
}

describe('xenstore save and restore', () => {
  it('restores nodes, perms, watches and open transactions', () => {
    const r = make();
    r.xs.write(1, 'data/a', 'x');
    r.xs.setPerms(1, 'data/a', ['n1', 'r2']);
    r.xs.watch(2, '/local/domain/1/data', 'w');
    const t = r.xs.transactionStart(1);
    r.xs.write(1, 'data/a', 'y', t.ok ? t.value : 0);
    const r2 = reload(r);
    expect(r2.xs.save()).toEqual(r.xs.save());
    expect(r2.xs.read(2, '/local/domain/1/data/a')).toEqual({ ok: true, value: 'x' });
    expect(r2.xs.transactionEnd(1, t.ok ? t.value : 0, true)).toMatchObject({ ok: true });
    expect(r2.events).toEqual(['d2 /local/domain/1/data/a w']);
    expect(r2.xs.read(2, '/local/domain/1/data/a')).toEqual({ ok: true, value: 'y' });
  });

  it('refuses a malformed state', () => {
    const xs = new XenStore();
    const bad = { ...xs.save(), nodes: [] };
    expect(() => xs.restore(bad)).toThrow(/root/);
    expect(() => xs.restore({ ...xs.save(), specialPerms: [['@releaseDomain', ['q1']]] })).toThrow();
    expect(xs.read(0, '/local')).toMatchObject({ ok: true });
  });

  it('continue after save → restore exactly as they would have without it', () => {
    fc.assert(fc.property(fc.array(opArb, { maxLength: 40 }), fc.array(opArb, { maxLength: 40 }), (before, after) => {
      const r = make();
      for (const o of before) apply(r, o);
      const r2 = reload(r);
      r.events.length = 0;
      for (const o of after) expect(apply(r2, o)).toEqual(apply(r, o));
      expect(r2.events).toEqual(r.events);
      expect(r2.xs.save()).toEqual(r.xs.save());
    }), { numRuns: 150 });
  });
});
