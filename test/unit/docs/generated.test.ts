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
