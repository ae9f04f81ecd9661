import { describe, expect, it } from 'vitest';
import { xsWorld } from './support.js';

describe('permissions', () => {
  it('gives a domain\'s home to the toolstack with read access for the domain, and data/ to the domain', () => {
    const { xs } = xsWorld();
    expect(xs.getPerms(0, '/local/domain/1')).toEqual({ ok: true, value: ['n0', 'r1'] });
    expect(xs.getPerms(1, 'data')).toEqual({ ok: true, value: ['n1'] });
    expect(xs.read(1, '/local/domain/1')).toMatchObject({ ok: true });
    expect(xs.write(1, '/local/domain/1', 'x')).toEqual({ ok: false, error: 'EACCES' });
    expect(xs.write(1, 'name', 'x')).toEqual({ ok: false, error: 'EACCES' });
    expect(xs.write(1, 'data/name', 'x')).toMatchObject({ ok: true });
  });

  it('lets the owner do everything, others only what the default or their own entry allows, dom0 everything', () => {
    const { xs } = xsWorld();
    xs.write(1, 'data/shared', 'v');
    expect(xs.read(2, '/local/domain/1/data/shared')).toEqual({ ok: false, error: 'EACCES' });
    expect(xs.setPerms(1, 'data/shared', ['n1', 'r2'])).toMatchObject({ ok: true });
    expect(xs.read(2, '/local/domain/1/data/shared')).toEqual({ ok: true, value: 'v' });
    expect(xs.write(2, '/local/domain/1/data/shared', 'w')).toEqual({ ok: false, error: 'EACCES' });
    expect(xs.setPerms(1, 'data/shared', ['r1', 'w2'])).toMatchObject({ ok: true });
    expect(xs.read(2, '/local/domain/1/data/shared')).toEqual({ ok: false, error: 'EACCES' });
    expect(xs.write(2, '/local/domain/1/data/shared', 'w')).toMatchObject({ ok: true });
    expect(xs.setPerms(1, 'data/shared', ['b1'])).toMatchObject({ ok: true });
    expect(xs.read(2, '/local/domain/1/data/shared')).toEqual({ ok: true, value: 'w' });
    expect(xs.write(2, '/local/domain/1/data/shared', 'z')).toMatchObject({ ok: true });
    expect(xs.read(0, '/local/domain/1/data/shared')).toEqual({ ok: true, value: 'z' });
    expect(xs.read(1, 'data/shared')).toEqual({ ok: true, value: 'z' });
  });

  it('makes an unprivileged creator the owner of what it creates, inheriting the rest', () => {
    const { xs } = xsWorld();
    xs.setPerms(1, 'data', ['n1', 'r2']);
    expect(xs.write(1, 'data/a/b', '1')).toMatchObject({ ok: true });
    expect(xs.getPerms(1, 'data/a')).toEqual({ ok: true, value: ['n1', 'r2'] });
    xs.setPerms(0, '/local/domain/1/data', ['n1', 'w2']);
    expect(xs.write(2, '/local/domain/1/data/fromtwo', 'x')).toMatchObject({ ok: true });
    expect(xs.getPerms(0, '/local/domain/1/data/fromtwo')).toEqual({ ok: true, value: ['n2', 'w2'] });
    expect(xs.write(0, '/tool/x', '1')).toMatchObject({ ok: true });
    expect(xs.getPerms(0, '/tool/x')).toEqual({ ok: true, value: ['n0'] });
  });

  it('answers EACCES rather than ENOENT when the nearest existing parent does not grant the access', () => {
    const { xs } = xsWorld();
    expect(xs.read(1, '/local/domain/2/data/missing')).toEqual({ ok: false, error: 'EACCES' });
    expect(xs.read(2, '/local/domain/2/data/missing')).toEqual({ ok: false, error: 'ENOENT' });
    expect(xs.read(1, '/local/domain/2/nothing/below')).toEqual({ ok: false, error: 'EACCES' });
    expect(xs.read(2, '/local/domain/2/nothing/below')).toEqual({ ok: false, error: 'ENOENT' });
    expect(xs.write(2, '/local/domain/2/nothing/below', 'x')).toEqual({ ok: false, error: 'EACCES' });
    expect(xs.rm(1, '/local/domain/2/data/x')).toEqual({ ok: false, error: 'EACCES' });
    expect(xs.mkdir(1, '/local/domain/2/data/x')).toEqual({ ok: false, error: 'EACCES' });
    expect(xs.directory(1, '/local/domain/2/data')).toEqual({ ok: false, error: 'EACCES' });
  });

  it('lets only the owner or dom0 set perms, and only dom0 change the owner', () => {
    const { xs } = xsWorld();
    xs.write(1, 'data/k', 'v');
    xs.setPerms(1, 'data/k', ['n1', 'b2']);
    expect(xs.setPerms(2, '/local/domain/1/data/k', ['n1'])).toEqual({ ok: false, error: 'EACCES' });
    expect(xs.setPerms(1, 'data/k', ['n2'])).toEqual({ ok: false, error: 'EPERM' });
    expect(xs.setPerms(0, '/local/domain/1/data/k', ['n2'])).toMatchObject({ ok: true });
    expect(xs.setPerms(1, 'data/k', ['n1'])).toEqual({ ok: false, error: 'EACCES' });
  });

  it('rejects malformed or empty perms (EINVAL) and more than 5 from an unprivileged domain (ENOSPC)', () => {
    const { xs } = xsWorld();
    xs.write(1, 'data/k', 'v');
    expect(xs.setPerms(1, 'data/k', [])).toEqual({ ok: false, error: 'EINVAL' });
    expect(xs.setPerms(1, 'data/k', ['x1'])).toEqual({ ok: false, error: 'EINVAL' });
    expect(xs.setPerms(1, 'data/k', ['n1', 'r99999'])).toEqual({ ok: false, error: 'EINVAL' });
    expect(xs.setPerms(1, 'data/k', ['n1', 'r2', 'r3', 'r4', 'r5', 'r6'])).toEqual({ ok: false, error: 'ENOSPC' });
    expect(xs.setPerms(1, 'data/k', ['n1', 'r2', 'r3', 'r4', 'r5'])).toMatchObject({ ok: true });
    expect(xs.setPerms(0, '/local/domain/1/data/k', ['n1', 'r2', 'r3', 'r4', 'r5', 'r6', 'r7'])).toMatchObject({ ok: true });
    expect(xs.setPerms(1, '@bogus', ['n0'])).toEqual({ ok: false, error: 'EINVAL' });
    expect(xs.setPerms(1, '@releaseDomain', ['n0', 'r1'])).toEqual({ ok: false, error: 'EACCES' });
  });
});

describe('quotas of unprivileged domains', () => {
  it('limits the nodes a domain owns (ENOSPC), all-or-nothing', () => {
    const { xs } = xsWorld({ entriesPerDomain: 7 });
    // data/, device/ and control/ are already domain 1's.
    expect(xs.write(1, 'data/a/b/c', '1')).toMatchObject({ ok: true });
    expect(xs.write(1, 'data/d/e', '1')).toEqual({ ok: false, error: 'ENOSPC' });
    expect(xs.read(1, 'data/d')).toEqual({ ok: false, error: 'ENOENT' });
    expect(xs.write(1, 'data/d', '1')).toMatchObject({ ok: true });
    expect(xs.write(0, '/local/domain/1/data/x/y/z', '1')).toMatchObject({ ok: true });
  });

  it('limits a node\'s record size (ENOSPC)', () => {
    const { xs } = xsWorld();
    expect(xs.write(1, 'data/v', 'x'.repeat(2048 - 24 - 8 - 1))).toMatchObject({ ok: true });
    expect(xs.write(1, 'data/v', 'x'.repeat(2048 - 24 - 8))).toEqual({ ok: false, error: 'ENOSPC' });
    expect(xs.write(0, '/local/domain/1/data/v', 'x'.repeat(3000))).toMatchObject({ ok: true });
  });

  it('limits watches (E2BIG) and open transactions (ENOSPC)', () => {
    const { xs } = xsWorld({ watchesPerDomain: 2, transactionsPerDomain: 1 });
    expect(xs.watch(1, 'data', 'a').ok).toBe(true);
    expect(xs.watch(1, 'data', 'b').ok).toBe(true);
    expect(xs.watch(1, 'data', 'c')).toEqual({ ok: false, error: 'E2BIG' });
    expect(xs.watch(0, '/', 'c').ok).toBe(true);
    expect(xs.transactionStart(1).ok).toBe(true);
    expect(xs.transactionStart(1)).toEqual({ ok: false, error: 'ENOSPC' });
    expect(xs.transactionStart(2).ok).toBe(true);
  });
});
