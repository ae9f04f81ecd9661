import { closeSync, openSync, readFileSync, truncateSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import { readSnapshot, writeSnapshot, type SnapshotErrorCode } from '../../../src/vmm/suspend/format/index.js';
import { forge, sectionHeaderAt, sectionsOf } from './support/forge.js';
import { sampleHeader, sampleSections } from './support/sample.js';
import { tempDir } from './support/temp-dir.js';

const dir = tempDir('snap-corrupt');
const small = join(dir, 'small.snap');
const large = join(dir, 'large.snap');
let smallBytes: Buffer;
let largeBytes: Buffer;

beforeAll(async () => {
  for (const [path, frames] of [[small, 16], [large, 2048]] as const) {
    const w = await writeSnapshot(path, sampleHeader(1), sampleSections(1, { frames, density: 0.25 }));
    if (!w.ok) throw new Error(w.error.message);
  }
  smallBytes = readFileSync(small);
  largeBytes = readFileSync(large);
});

/** The refusal a flipped byte at `offset` must get: the fields outside the checksum have their own checks. */
function expectedFlipCodes(offset: number): SnapshotErrorCode[] {
  if (offset < 8) return ['SNAPSHOT_BAD_MAGIC'];
  if (offset < 12) return ['SNAPSHOT_VERSION'];
  if (offset >= 16 && offset < 24) return ['SNAPSHOT_TRUNCATED', 'SNAPSHOT_CORRUPT'];
  return ['SNAPSHOT_CHECKSUM'];
}

async function refusal(path: string): Promise<{ code: SnapshotErrorCode; message: string } | null> {
  const r = await readSnapshot(path);
  if (r.ok) {
    await r.value.close();
    return null;
  }
  return r.error;
}

/** Flips one byte of `path` in place, reads, and puts the byte back. */
async function flipAndRead(path: string, bytes: Buffer, offset: number, mask: number) {
  const fd = openSync(path, 'r+');
  try {
    writeSync(fd, Buffer.of(bytes[offset] ^ mask), 0, 1, offset);
    return await refusal(path);
  } finally {
    writeSync(fd, bytes, offset, 1, offset);
    closeSync(fd);
  }
}

describe('snapshot corruption', () => {
  it('the small sample is about 20 KiB and reads back', async () => {
    expect(smallBytes.length).toBeGreaterThan(12_000);
    expect(smallBytes.length).toBeLessThan(28_000);
    expect(await refusal(small)).toBeNull();
  });

  it('refuses every single-byte flip of the small sample, with the code for that field', async () => {
    const lanes = 4;
    const wrong: string[] = [];
    await Promise.all(Array.from({ length: lanes }, async (_, lane) => {
      const path = join(dir, `flip-${lane}.snap`);
      writeFileSync(path, smallBytes);
      for (let offset = lane; offset < smallBytes.length; offset += lanes) {
        const error = await flipAndRead(path, smallBytes, offset, 0xff);
        if (!error || !expectedFlipCodes(offset).includes(error.code) || !error.message.includes(path)) {
          wrong.push(`${offset}: ${error ? `${error.code} ${error.message}` : 'accepted'}`);
        }
      }
      expect(await refusal(path)).toBeNull();
    }));
    expect(wrong).toEqual([]);
  });

  it('refuses every truncation of the small sample as truncated', async () => {
    const lanes = 4;
    const wrong: string[] = [];
    await Promise.all(Array.from({ length: lanes }, async (_, lane) => {
      const path = join(dir, `truncated-${lane}.snap`);
      writeFileSync(path, smallBytes);
      for (let length = smallBytes.length - 1 - lane; length >= 0; length -= lanes) {
        truncateSync(path, length);
        const error = await refusal(path);
        if (error?.code !== 'SNAPSHOT_TRUNCATED' || !error.message.includes(path)) wrong.push(`${length}: ${error?.code ?? 'accepted'}`);
      }
    }));
    expect(wrong).toEqual([]);
  });

  it('refuses random flips and truncations of a 2 MB sample', async () => {
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: largeBytes.length - 1 }), fc.integer({ min: 1, max: 255 }), async (offset, mask) => {
        const error = await flipAndRead(large, largeBytes, offset, mask);
        expect(error?.code).toBeOneOf(expectedFlipCodes(offset));
      }),
      { numRuns: 120 },
    );
    const path = join(dir, 'large-truncated.snap');
    await fc.assert(
      fc.asyncProperty(fc.integer({ min: 0, max: largeBytes.length - 1 }), async (length) => {
        writeFileSync(path, largeBytes.subarray(0, length));
        expect((await refusal(path))?.code).toBe('SNAPSHOT_TRUNCATED');
      }),
      { numRuns: 60 },
    );
  });

  it('refuses trailing bytes after the trailer', async () => {
    const path = join(dir, 'trailing.snap');
    writeFileSync(path, Buffer.concat([smallBytes, Buffer.of(0)]));
    expect(await refusal(path)).toMatchObject({ code: 'SNAPSHOT_CORRUPT', message: expect.stringContaining('1 bytes follow') });
  });
});

describe('snapshot structure checks (files with a valid checksum)', () => {
  const forged = join(dir, 'forged.snap');

  async function forgedRefusal(patch: (bytes: Buffer) => void) {
    forge(small, forged, patch);
    return refusal(forged);
  }

  it('refuses a trailer whose section count differs from the header', async () => {
    expect(await forgedRefusal((b) => { b.writeUInt32LE(99, b.length - 40); })).toMatchObject({ code: 'SNAPSHOT_CORRUPT' });
  });

  it('refuses memory records out of order or outside RAM', async () => {
    const memory = (await sectionsOf(small)).find((s) => s.kind === 'memory');
    if (!memory) throw new Error('no memory section');
    const records = memory.offset + 16;
    expect(await forgedRefusal((b) => {
      const first = b.readUInt32LE(records);
      b.writeUInt32LE(b.readUInt32LE(records + 4100), records);
      b.writeUInt32LE(first, records + 4100);
    })).toMatchObject({ code: 'SNAPSHOT_CORRUPT', message: expect.stringContaining('frames ascend') });
    expect(await forgedRefusal((b) => { b.writeUInt32LE(16, records); })).toMatchObject({ code: 'SNAPSHOT_CORRUPT' });
  });

  it('refuses a JSON section that does not parse', async () => {
    const json = (await sectionsOf(small)).find((s) => s.kind === 'json');
    if (!json) throw new Error('no json section');
    expect(await forgedRefusal((b) => { b[json.offset] = 0x7d; })).toMatchObject({
      code: 'SNAPSHOT_CORRUPT', message: expect.stringContaining(`"${json.name}" is not JSON`),
    });
  });

  it('refuses a section whose length runs into the next one, unknown flags, reserved bits and duplicate names', async () => {
    const sections = await sectionsOf(small);
    const [first] = sections;
    const at = sectionHeaderAt(first);
    expect(await forgedRefusal((b) => { b.writeUInt32LE(first.length + 1, at + 12); })).toMatchObject({ code: 'SNAPSHOT_CORRUPT' });
    expect(await forgedRefusal((b) => { b.writeUInt32LE(6, at + 4); })).toMatchObject({ code: 'SNAPSHOT_CORRUPT' });
    expect(await forgedRefusal((b) => { b.writeUInt32LE(1, 36); })).toMatchObject({ code: 'SNAPSHOT_CORRUPT' });
    const grants = sections.find((s) => s.name === 'dom3/grants');
    if (!grants) throw new Error('no grants section');
    expect(await forgedRefusal((b) => { b.write('dom3/memory', grants.offset - grants.name.length, 'utf8'); }))
      .toMatchObject({ code: 'SNAPSHOT_CORRUPT', message: expect.stringContaining('not unique') });
  });

  it('refuses a section of an unknown kind unless it is optional, and skips an optional one', async () => {
    const [first] = await sectionsOf(small);
    const at = sectionHeaderAt(first);
    expect(await forgedRefusal((b) => { b.writeUInt32LE(77, at); })).toMatchObject({
      code: 'SNAPSHOT_UNKNOWN_SECTION', message: expect.stringContaining('kind 77'),
    });
    forge(small, forged, (b) => { b.writeUInt32LE(77, at); b.writeUInt32LE(1, at + 4); });
    const view = await readSnapshot(forged);
    if (!view.ok) throw new Error(view.error.message);
    expect(view.value.sections[0]).toMatchObject({ name: first.name, kind: 'unknown', kindId: 77 });
    expect(view.value.json(first.name)).toMatchObject({ ok: false, error: { code: 'SNAPSHOT_NO_SECTION' } });
    expect(view.value.json('xenstore').ok).toBe(true);
    await view.value.close();
  });
});
