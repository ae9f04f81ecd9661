import { describe, expect, it } from 'vitest';
import type { XsResult } from '../../../src/xenstore/xs-errors.js';
import { xsWorld } from './support.js';

const id = (r: XsResult<number>): number => { if (!r.ok) throw new Error(r.error); return r.value; };

describe('transactions', () => {
  it('see their own changes; others see them only after the commit, when watches fire', () => {
    const { xs, events } = xsWorld();
    xs.watch(0, '/t', 'w');
    events.length = 0;
    const tx = id(xs.transactionStart(0));
    expect(xs.write(0, '/t/a', '1', tx)).toMatchObject({ ok: true });
    expect(xs.read(0, '/t/a', tx)).toEqual({ ok: true, value: '1' });
    expect(xs.read(0, '/t/a')).toEqual({ ok: false, error: 'ENOENT' });
    expect(xs.directory(0, '/t', tx)).toEqual({ ok: true, value: ['a'] });
    expect(events).toEqual([]);
    expect(xs.transactionEnd(0, tx, true)).toMatchObject({ ok: true });
    expect(xs.read(0, '/t/a')).toEqual({ ok: true, value: '1' });
    expect(events).toEqual(['d0 /t/a w']);
  });

  it('fail with EAGAIN when something they touched changed meanwhile, and leave the store as it was', () => {
    const { xs } = xsWorld();
    xs.write(0, '/c', '0');
    const tx = id(xs.transactionStart(0));
    expect(xs.read(0, '/c', tx)).toEqual({ ok: true, value: '0' });
    xs.write(0, '/c/x', '1', tx);
    xs.write(0, '/c', 'other');
    expect(xs.transactionEnd(0, tx, true)).toEqual({ ok: false, error: 'EAGAIN' });
    expect(xs.read(0, '/c/x')).toEqual({ ok: false, error: 'ENOENT' });
  });

  it('commit when unrelated nodes changed', () => {
    const { xs } = xsWorld();
    const tx = id(xs.transactionStart(1));
    xs.write(1, 'data/ring-ref', '8', tx);
    xs.write(1, 'data/event-channel', '3', tx);
    xs.write(2, 'data/elsewhere', 'x');
    expect(xs.transactionEnd(1, tx, true)).toMatchObject({ ok: true });
    expect(xs.read(1, 'data/event-channel')).toEqual({ ok: true, value: '3' });
  });

  it('conflict when a node they found missing was created meanwhile', () => {
    const { xs } = xsWorld();
    const tx = id(xs.transactionStart(0));
    expect(xs.read(0, '/n', tx)).toEqual({ ok: false, error: 'ENOENT' });
    xs.write(0, '/n', 'x');
    expect(xs.transactionEnd(0, tx, true)).toEqual({ ok: false, error: 'EAGAIN' });
  });

  it('discard on abort; unknown or foreign transaction ids are ENOENT', () => {
    const { xs } = xsWorld();
    const tx = id(xs.transactionStart(1));
    xs.write(1, 'data/x', '1', tx);
    expect(xs.read(2, '/local/domain/1/data/x', tx)).toEqual({ ok: false, error: 'ENOENT' });
    expect(xs.transactionEnd(2, tx, true)).toEqual({ ok: false, error: 'ENOENT' });
    expect(xs.transactionEnd(1, tx, false)).toMatchObject({ ok: true });
    expect(xs.read(1, 'data/x')).toEqual({ ok: false, error: 'ENOENT' });
    expect(xs.transactionEnd(1, tx, true)).toEqual({ ok: false, error: 'ENOENT' });
    expect(xs.read(1, 'data/x', 999)).toEqual({ ok: false, error: 'ENOENT' });
  });

  it('rm inside a transaction fires its watches at commit', () => {
    const { xs, events } = xsWorld();
    xs.write(0, '/r/a', '1');
    xs.watch(0, '/r/a', 'w');
    events.length = 0;
    const tx = id(xs.transactionStart(0));
    xs.rm(0, '/r', tx);
    expect(xs.read(0, '/r/a')).toMatchObject({ ok: true });
    expect(events).toEqual([]);
    xs.transactionEnd(0, tx, true);
    expect(events).toEqual(['d0 /r/a w']);
    expect(xs.directory(0, '/')).toEqual({ ok: true, value: ['local'] });
  });
});
