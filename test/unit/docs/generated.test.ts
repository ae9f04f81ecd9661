import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { PAGES } from '../../../scripts/catalogue-docs.js';

describe('generated pages', () => {
  it.each(Object.keys(PAGES))('%s matches the catalogue it is generated from', (file) => {
    expect(readFileSync(new URL(`../../../${file}`, import.meta.url), 'utf8')).toBe(PAGES[file]());
  });

  it('prisma schemas match prisma/models.prisma', async () => {
    const { execFileSync } = await import('node:child_process');
    expect(() => execFileSync(process.execPath, ['scripts/prisma-generate.mjs', '--check'], { stdio: 'pipe' })).not.toThrow();
  });
});

describe('hand-written pages', () => {
  it('docs/hypercalls.md lists every hypercall with its number', async () => {
    const { Hypercall, HYPERCALL_BASE } = await import('../../../src/vmm/pv/hypercall-numbers.js');
    const doc = readFileSync(new URL('../../../docs/hypercalls.md', import.meta.url), 'utf8');
    const missing = Object.entries(Hypercall).filter(([name, nr]) => {
      const off = `0x${(nr - HYPERCALL_BASE).toString(16).padStart(3, '0')}`;
      return !doc.includes(name) || !(doc.includes(`base + ${off}`) || name.startsWith('xs_'));
    });
    expect(missing.map(([name]) => name)).toEqual([]);
  });
});
