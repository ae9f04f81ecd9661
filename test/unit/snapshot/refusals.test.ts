import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { GuestMemory } from '../../../src/vcpu/guest-memory.js';
import { FORMAT_VERSION, readSnapshot, writeSnapshot } from '../../../src/vmm/suspend/format/index.js';
import { sampleHeader, sampleSections } from './support/sample.js';
import { tempDir } from './support/temp-dir.js';

const dir = tempDir('snap-refusals');
const sample = join(dir, 'sample.snap');
let bytes: Buffer;

beforeAll(async () => {
  const w = await writeSnapshot(sample, sampleHeader(2), sampleSections(2, { frames: 8, density: 0.5 }));
  if (!w.ok) throw new Error(w.error.message);
  bytes = readFileSync(sample);
});

async function refusalOf(content: Buffer | string, name = 'x.snap') {
  const path = join(dir, name);
  writeFileSync(path, content);
  const r = await readSnapshot(path);
  if (r.ok) throw new Error('accepted');
  return r.error;
}

function withVersion(version: number): Buffer {
  const b = Buffer.from(bytes);
  b.writeUInt32LE(version, 8);
  return b;
}

describe('snapshot format versions', () => {
  it('writes format version 2 at offset 8', () => {
    expect(FORMAT_VERSION).toBe(2);
    expect(bytes.readUInt32LE(8)).toBe(2);
  });

  it.each([3, 0xffff_ffff, 0])('refuses format version %i, naming it and the version this Cella reads', async (version) => {
    const error = await refusalOf(withVersion(version));
    expect(error.code).toBe('SNAPSHOT_VERSION');
    expect(error.message).toContain(`format version ${version} is not supported`);
    expect(error.message).toContain('reads format version 1, 2 and writes 2');
  });
});

describe('snapshot refusals', () => {
  it('refuses a file that is not a snapshot', async () => {
    expect(await refusalOf('{"not": "a snapshot"}')).toMatchObject({ code: 'SNAPSHOT_BAD_MAGIC', message: expect.stringContaining('CELLASNP') });
  });

  it('refuses an empty file and a bare magic as truncated', async () => {
    expect(await refusalOf('')).toMatchObject({ code: 'SNAPSHOT_TRUNCATED' });
    expect(await refusalOf('CELLASNP')).toMatchObject({ code: 'SNAPSHOT_TRUNCATED' });
  });

  it('refuses a file still carrying the unfinished-write magic, whatever its name', async () => {
    const b = Buffer.from(bytes);
    b.write('CELLAPRT', 0, 'latin1');
    expect(await refusalOf(b)).toMatchObject({ code: 'SNAPSHOT_PARTIAL', message: expect.stringContaining('unfinished') });
  });

  it('never reads a .part file, even a complete one', async () => {
    expect(await refusalOf(bytes, 'whole.snap.part')).toMatchObject({ code: 'SNAPSHOT_PARTIAL' });
  });

  it('says when there is no file, or it is not a regular file', async () => {
    expect(await readSnapshot(join(dir, 'missing.snap'))).toMatchObject({ ok: false, error: { code: 'SNAPSHOT_NOT_FOUND' } });
    mkdirSync(join(dir, 'a-dir'));
    expect(await readSnapshot(join(dir, 'a-dir'))).toMatchObject({ ok: false, error: { code: 'SNAPSHOT_IO' } });
  });
});

describe('reading a verified snapshot', () => {
  it('names missing sections and refuses RAM of another size', async () => {
    const view = await readSnapshot(sample);
    if (!view.ok) throw new Error(view.error.message);
    expect(view.value.json('dom3/memory')).toMatchObject({ ok: false, error: { code: 'SNAPSHOT_NO_SECTION' } });
    expect(view.value.memory('dom3/vcpus')).toMatchObject({ ok: false, error: { code: 'SNAPSHOT_NO_SECTION' } });
    const reader = view.value.memory('dom3/memory');
    if (!reader.ok) throw new Error(reader.error.message);
    expect(await reader.value.restoreInto(new GuestMemory(reader.value.ramSize * 2))).toMatchObject({
      ok: false, error: { code: 'SNAPSHOT_SIZE_MISMATCH' },
    });
    await view.value.close();
    expect(await reader.value.restoreInto(new GuestMemory(reader.value.ramSize))).toMatchObject({ ok: false, error: { code: 'SNAPSHOT_IO' } });
  });
});
