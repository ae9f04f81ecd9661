import { describe, expect, it } from 'vitest';
import { xsWorld } from './support.js';

describe('watches', () => {
  it('fire once on registration, then on every change at or below the path', () => {
    const { xs, events } = xsWorld();
    expect(xs.watch(0, '/a', 'tok')).toMatchObject({ ok: true });
    expect(events).toEqual(['d0 /a tok']);
    xs.write(0, '/a/b/c', '1');
    xs.write(0, '/a', 'v');
    xs.write(0, '/ab', 'v');
    xs.write(0, '/', 'v');
    xs.mkdir(0, '/a/b');
    xs.setPerms(0, '/a/b', ['n0']);
    expect(events).toEqual(['d0 /a tok', 'd0 /a/b/c tok', 'd0 /a tok', 'd0 /a/b tok']);
  });

  it('report relative paths to a watch set with a relative path', () => {
    const { xs, events } = xsWorld();
    xs.watch(1, 'data', 't');
    xs.write(1, 'data/x', '1');
    xs.watch(1, '/local/domain/1/data', 'abs');
    xs.write(1, 'data/y', '1');
    expect(events).toEqual(['d1 data t', 'd1 data/x t', 'd1 /local/domain/1/data abs', 'd1 data/y t', 'd1 /local/domain/1/data/y abs']);
  });

  it('fire for a recursive rm: at the removed path for watches above it, at their own path for deleted nodes below', () => {
    const { xs, events } = xsWorld();
    xs.write(0, '/a/b/c', '1');
    xs.watch(0, '/a', 'up');
    xs.watch(0, '/a/b/c', 'down');
    xs.watch(0, '/a/b/none', 'none');
    xs.watch(0, '/a/b', 'same');
    events.length = 0;
    xs.rm(0, '/a/b');
    expect(events).toEqual(['d0 /a/b up', 'd0 /a/b same', 'd0 /a/b/c down']);
  });

  it('only tell a domain about nodes it (or the parent) may read', () => {
    const { xs, events } = xsWorld();
    xs.watch(2, '/local/domain/1', 'spy');
    xs.write(1, 'data/secret', 'x');
    xs.write(0, '/local/domain/1/public', 'x');
    expect(events).toEqual(['d2 /local/domain/1 spy']);
    xs.setPerms(1, 'data/secret', ['n1', 'r2']);
    xs.write(1, 'data/secret', 'y');
    expect(events.slice(1)).toEqual(['d2 /local/domain/1/data/secret spy', 'd2 /local/domain/1/data/secret spy']);
    events.length = 0;
    xs.setPerms(1, 'data/secret', ['n1']);
    expect(events).toEqual(['d2 /local/domain/1/data/secret spy']);
    events.length = 0;
    xs.write(1, 'data/secret', 'z');
    expect(events).toEqual([]);
  });

  it('reject duplicates (EEXIST) and invalid paths (EINVAL); unwatch removes, a missing watch is ENOENT', () => {
    const { xs, events } = xsWorld();
    expect(xs.watch(1, 'data', 't')).toMatchObject({ ok: true });
    expect(xs.watch(1, '/local/domain/1/data', 't')).toEqual({ ok: false, error: 'EEXIST' });
    expect(xs.watch(1, 'data', 'u')).toMatchObject({ ok: true });
    expect(xs.watch(1, '/a//b', 't')).toEqual({ ok: false, error: 'EINVAL' });
    expect(xs.watch(1, `@${'x'.repeat(2048)}`, 't')).toEqual({ ok: false, error: 'EINVAL' });
    expect(xs.unwatch(1, '/local/domain/1/data', 't')).toMatchObject({ ok: true });
    expect(xs.unwatch(1, 'data', 't')).toEqual({ ok: false, error: 'ENOENT' });
    events.length = 0;
    xs.write(1, 'data/x', '1');
    expect(events).toEqual(['d1 data/x u']);
    xs.resetWatches(1);
    xs.write(1, 'data/x', '2');
    expect(events).toEqual(['d1 data/x u']);
  });

  it('deliver @introduceDomain and @releaseDomain to privileged watchers and to domains granted them', () => {
    const { xs, events } = xsWorld();
    xs.watch(0, '@releaseDomain', 'rel');
    xs.watch(1, '@releaseDomain', 'rel1');
    xs.watch(0, '@introduceDomain', 'intro');
    xs.watch(0, '/', 'all');
    events.length = 0;
    xs.introduceDomain(3);
    expect(events.filter((e) => e.includes('@'))).toEqual(['d0 @introduceDomain intro']);
    events.length = 0;
    xs.domainDied(2);
    expect(events).toEqual(['d0 @releaseDomain rel']);
    expect(xs.setPerms(0, '@releaseDomain', ['n0', 'r1'])).toMatchObject({ ok: true });
    events.length = 0;
    xs.domainDied(3);
    expect(events).toEqual(['d0 @releaseDomain rel', 'd1 @releaseDomain rel1']);
  });

  it('drop a dead domain\'s watches and transactions, and its ownership of nodes', () => {
    const { xs, events } = xsWorld();
    xs.watch(1, 'data', 't');
    const tx = xs.transactionStart(1);
    xs.write(1, 'data/mine', 'x');
    xs.setPerms(1, 'data/mine', ['n1', 'r2', 'b1']);
    xs.domainDied(1);
    events.length = 0;
    xs.write(0, '/local/domain/1/data/after', 'x');
    expect(events).toEqual([]);
    expect(tx.ok && xs.transactionEnd(1, tx.value, true)).toEqual({ ok: false, error: 'ENOENT' });
    expect(xs.getPerms(0, '/local/domain/1/data/mine')).toEqual({ ok: true, value: ['n0', 'r2'] });
    expect(xs.read(1, '/local/domain/1/data/mine')).toEqual({ ok: false, error: 'EACCES' });
  });
});
