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
    const { Hypercall, HYPERCALL_BASE } = await import('../../../src/guest-kernel/hypercall-numbers.js');
    const doc = readFileSync(new URL('../../../docs/hypercalls.md', import.meta.url), 'utf8');
    // the xs_* calls share one row, named in number order from 0x500
    const xsRow = /\| base \+ 0x500 … 0x([0-9a-f]{3}) \| ([^|]+) \|/.exec(doc);
    const xsNames = xsRow ? xsRow[2].split(',').map((n) => n.trim()) : [];
    const missing = Object.entries(Hypercall).filter(([name, nr]) => {
      const offset = nr - HYPERCALL_BASE;
      if (name.startsWith('xs_')) return xsNames[offset - 0x500] !== name || offset > parseInt(xsRow![1], 16);
      return !doc.includes(`| base + 0x${offset.toString(16).padStart(3, '0')} | ${name} |`);
    });
    expect(missing.map(([name]) => name)).toEqual([]);
  });
});
