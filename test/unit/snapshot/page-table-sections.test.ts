import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { identityState, type AddressSpaceState } from '../../../src/vcpu/address-space.persist.js';
import { PTE, PTE_OPEN } from '../../../src/vcpu/page-table-entry.js';
import { FORMAT_VERSION, readSnapshot, writeSnapshot, type SectionInput } from '../../../src/vmm/suspend/format/index.js';
import { pagesSection, readPages } from '../../../src/vmm/suspend/page-table-sections.js';
import { reseal } from './support/forge.js';
import { tempDir } from './support/temp-dir.js';

const dir = tempDir('snap-pages');
const RAM = 1 << 20;
const LOW: AddressSpaceState = { runs: [[0x10, 3, 0, PTE_OPEN], [0x800f0, 0x10, 0xf0, PTE_OPEN]] };

async function fileWith(name: string, sections: SectionInput[], version = FORMAT_VERSION) {
  const path = join(dir, name);
  const w = await writeSnapshot(path, { kind: 'test' }, sections);
  if (!w.ok) throw new Error(w.error.message);
  if (version !== FORMAT_VERSION) {
    const bytes = readFileSync(path);
    bytes.writeUInt32LE(version, 8);
    writeFileSync(path, reseal(bytes));
  }
  const view = await readSnapshot(path);
  if (!view.ok) throw new Error(view.error.message);
  return view.value;
}

describe('page tables in a suspend file', () => {
  it('are written in format version 2 and read back as they were, for the kernel and each process', async () => {
    expect(FORMAT_VERSION).toBe(2);
    const view = await fileWith('v2.snap', [pagesSection('u', undefined, identityState(RAM)), pagesSection('u', 3, LOW)]);
    try {
      expect(view.formatVersion).toBe(2);
      expect(readPages(view, 'u', undefined, RAM)).toEqual({ ok: true, value: identityState(RAM) });
      expect(readPages(view, 'u', 3, RAM)).toEqual({ ok: true, value: LOW });
      expect(readPages(view, 'u', 4, RAM)).toMatchObject({ ok: false, error: { code: 'SNAPSHOT_NO_SECTION' } });
    } finally {
      await view.close();
    }
  });

  it('read as identity maps from a version-1 file, written before address spaces (every vCPU saw RAM at its own addresses)', async () => {
    const view = await fileWith('v1.snap', [{ kind: 'json', name: 'u/kernel', value: {} }], 1);
    try {
      expect(view.formatVersion).toBe(1);
      expect(readPages(view, 'u', undefined, RAM)).toEqual({ ok: true, value: identityState(RAM) });
      expect(readPages(view, 'u', 7, 4 * RAM)).toEqual({ ok: true, value: identityState(4 * RAM) });
    } finally {
      await view.close();
    }
  });

  it.each([
    ['frames beyond the memory', { runs: [[0x10, 2, 255, PTE_OPEN]] }],
    ['runs that overlap', { runs: [[0x10, 4, 0, PTE_OPEN], [0x12, 1, 9, PTE_OPEN]] }],
    ['pages past 4 GiB', { runs: [[0xfffff, 2, 0, PTE_OPEN]] }],
    ['a flag no page has', { runs: [[0x10, 1, 0, PTE_OPEN | 0x400]] }],
    ['the derived fast-store bit', { runs: [[0x10, 1, 0, PTE_OPEN | PTE.FAST_STORE]] }],
    ['a page not marked valid', { runs: [[0x10, 1, 0, PTE.READ]] }],
    ['not integers', { runs: [[0x10, 1.5, 0, PTE_OPEN]] }],
    ['another shape', { runs: [[0x10, 1, 0]] }],
    ['extra fields', { runs: [], more: 1 }],
  ])('refuse a section with %s (SNAPSHOT_CORRUPT)', async (what, value) => {
    const view = await fileWith(`bad-${what.replace(/\W+/g, '-')}.snap`, [{ kind: 'json', name: 'u/p1/pages', value }]);
    try {
      expect(readPages(view, 'u', 1, RAM)).toMatchObject({ ok: false, error: { code: 'SNAPSHOT_CORRUPT', message: expect.stringContaining('u/p1/pages') } });
    } finally {
      await view.close();
    }
  });
});
