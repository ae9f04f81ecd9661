import { describe, expect, it } from 'vitest';
import { XenStore } from '../../../src/xenstore/xenstore.js';
import { xsWorld } from './support.js';

describe('read, write, mkdir, rm, directory', () => {
  it('writes create missing parents with empty values; read and directory see them in creation order', () => {
    const { xs } = xsWorld();
    expect(xs.write(0, '/a/b/c', 'x')).toEqual({ ok: true, value: undefined });
    expect(xs.read(0, '/a/b')).toEqual({ ok: true, value: '' });
    expect(xs.read(0, '/a/b/c')).toEqual({ ok: true, value: 'x' });
    xs.write(0, '/a/z', '1');
    xs.write(0, '/a/m', '2');
    expect(xs.directory(0, '/a')).toEqual({ ok: true, value: ['b', 'z', 'm'] });
    expect(xs.directory(0, '/')).toEqual({ ok: true, value: ['local', 'a'] });
  });

  it('resolves relative paths under /local/domain/<domid>', () => {
    const { xs } = xsWorld();
    expect(xs.write(1, 'data/x', 'v')).toMatchObject({ ok: true });
    expect(xs.read(0, '/local/domain/1/data/x')).toEqual({ ok: true, value: 'v' });
    expect(xs.read(1, 'data/x')).toEqual({ ok: true, value: 'v' });
    expect(xs.getDomainPath(7)).toBe('/local/domain/7');
  });

  it('mkdir keeps an existing node\'s value', () => {
    const { xs } = xsWorld();
    xs.write(0, '/k', 'v');
    expect(xs.mkdir(0, '/k')).toMatchObject({ ok: true });
    expect(xs.read(0, '/k')).toEqual({ ok: true, value: 'v' });
    expect(xs.mkdir(0, '/p/q')).toMatchObject({ ok: true });
    expect(xs.directory(0, '/p')).toEqual({ ok: true, value: ['q'] });
  });

  it('rm deletes recursively; a missing node is fine if its parent exists; root is EINVAL', () => {
    const { xs } = xsWorld();
    xs.write(0, '/a/b/c', '1');
    xs.write(0, '/a/d', '2');
    expect(xs.rm(0, '/a/b')).toMatchObject({ ok: true });
    expect(xs.read(0, '/a/b/c')).toEqual({ ok: false, error: 'ENOENT' });
    expect(xs.directory(0, '/a')).toEqual({ ok: true, value: ['d'] });
    expect(xs.rm(0, '/a/nothing')).toMatchObject({ ok: true });
    expect(xs.rm(0, '/nothing/here')).toEqual({ ok: false, error: 'ENOENT' });
    expect(xs.rm(0, '/')).toEqual({ ok: false, error: 'EINVAL' });
  });

  it('answers ENOENT for a missing node', () => {
    const { xs } = xsWorld();
    expect(xs.read(0, '/none')).toEqual({ ok: false, error: 'ENOENT' });
    expect(xs.directory(0, '/none')).toEqual({ ok: false, error: 'ENOENT' });
    expect(xs.getPerms(0, '/none')).toEqual({ ok: false, error: 'ENOENT' });
  });

  it('rejects invalid paths with EINVAL', () => {
    const { xs } = xsWorld();
    for (const p of ['/a//b', '/a/', '/a b', '/a*', '', '@releaseDomain', `/${'x'.repeat(3072)}`]) {
      expect(xs.write(0, p, 'v').ok ? 'ok' : 'fail').toBe('fail');
      expect(xs.read(0, p)).toEqual({ ok: false, error: 'EINVAL' });
    }
    expect(xs.write(0, `/${'x'.repeat(3071)}`, '')).toMatchObject({ ok: true });
    expect(xs.mkdir(0, '/a//b')).toEqual({ ok: false, error: 'EINVAL' });
    expect(xs.rm(0, '/a/')).toEqual({ ok: false, error: 'EINVAL' });
  });

  it('enforces the 4096-byte payload limit with E2BIG (write requests, directory replies)', () => {
    const { xs } = xsWorld();
    const path = '/v';
    expect(xs.write(0, path, 'x'.repeat(4096 - path.length - 1))).toMatchObject({ ok: true });
    expect(xs.write(0, path, 'x'.repeat(4096 - path.length))).toEqual({ ok: false, error: 'E2BIG' });
    for (let i = 0; i < 100; i++) xs.mkdir(0, `/big/${'n'.repeat(36)}${String(i).padStart(3, '0')}`);
    expect(xs.directory(0, '/big')).toMatchObject({ ok: true });
    for (let i = 100; i < 110; i++) xs.mkdir(0, `/big/${'n'.repeat(36)}${i}`);
    expect(xs.directory(0, '/big')).toEqual({ ok: false, error: 'E2BIG' });
  });

  it('counts value bytes, not characters', () => {
    const { xs } = xsWorld();
    expect(xs.write(0, '/u', 'é'.repeat(2047))).toEqual({ ok: false, error: 'E2BIG' });
    expect(xs.write(0, '/u', 'é'.repeat(2046))).toMatchObject({ ok: true });
    expect(new XenStore().read(0, '/local/domain')).toEqual({ ok: true, value: '' });
  });
});
