import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { HEADER, MEMORY, RECORD, SECTION, TRAILER } from '../../../src/vmm/suspend/format/layout.js';
import { SECTION_KINDS, SNAPSHOT_ERROR_CODES } from '../../../src/vmm/suspend/format/index.js';

const doc = readFileSync(new URL('../../../docs/snapshot-format.md', import.meta.url), 'utf8');

describe('docs/snapshot-format.md', () => {
  it.each(Object.keys(SNAPSHOT_ERROR_CODES))('lists the refusal code %s', (code) => {
    expect(doc).toContain(`| \`${code}\` |`);
  });

  it('gives the section kind ids of the catalogue', () => {
    const ids = Object.entries(SECTION_KINDS).map(([name, kind]) => `${kind.id} ${name}`).join(', ');
    expect(doc).toContain(ids);
  });

  it('gives the sizes of the layout', () => {
    expect(doc).toContain(`header (${HEADER.SIZE} bytes + strings)`);
    expect(doc).toContain(`section (${SECTION.SIZE} bytes + name + payload)`);
    expect(doc).toContain(`memory payload (${MEMORY.SIZE} bytes + records)`);
    expect(doc).toContain(`count × ${RECORD.SIZE}`);
    expect(doc).toContain(`trailer (${TRAILER.SIZE} bytes)`);
  });
});
