import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FRAME_SIZE } from '../../../src/vcpu/memory-layout.js';
import { partPathOf, readSnapshot, writeSnapshot, type FrameRef, type SectionInput } from '../../../src/vmm/suspend/format/index.js';
import { differencesFromSample, sampleHeader, sampleSections } from './support/sample.js';
import { tempDir } from './support/temp-dir.js';

const dir = tempDir('snap-writer');
const shape = { frames: 32, density: 0.3 };

async function expectSample(path: string, seq: number): Promise<void> {
  const view = await readSnapshot(path);
  if (!view.ok) throw new Error(view.error.message);
  expect(await differencesFromSample(view.value, seq, shape)).toEqual([]);
  await view.value.close();
}

describe('snapshot writer', () => {
  it('replaces the file, removes a stale .part and leaves no .part behind', async () => {
    const path = join(dir, 'replace.snap');
    await writeSnapshot(path, sampleHeader(1), sampleSections(1, shape));
    writeFileSync(partPathOf(path), 'left over by a crash');
    const w = await writeSnapshot(path, sampleHeader(2), sampleSections(2, shape));
    expect(w.ok).toBe(true);
    expect(existsSync(partPathOf(path))).toBe(false);
    expect(statSync(path).mode & 0o777).toBe(0o600);
    await expectSample(path, 2);
  });

  it('keeps the previous file whole when a write is refused half way', async () => {
    const path = join(dir, 'keep.snap');
    await writeSnapshot(path, sampleHeader(1), sampleSections(1, shape));
    const before = readFileSync(path);
    let pass = 0;
    const fickle: SectionInput = {
      kind: 'memory', name: 'fickle', memory: {
        size: 4 * FRAME_SIZE,
        *frames(): Iterable<FrameRef> {
          pass++;
          yield { frame: pass, data: new Uint8Array(FRAME_SIZE).fill(pass) };
        },
      },
    };
    const w = await writeSnapshot(path, sampleHeader(9), [...sampleSections(9, shape), fickle]);
    expect(w).toMatchObject({ ok: false, error: { code: 'SNAPSHOT_INVALID_INPUT', message: expect.stringContaining('second pass') } });
    expect(readFileSync(path).equals(before)).toBe(true);
    expect(existsSync(partPathOf(path))).toBe(false);
  });

  it.each<[string, Record<string, unknown>, SectionInput[]]>([
    ['duplicate names', {}, [{ kind: 'json', name: 'a', value: 1 }, { kind: 'json', name: 'a', value: 2 }]],
    ['an empty name', {}, [{ kind: 'json', name: '', value: 1 }]],
    ['a name over 255 bytes', {}, [{ kind: 'json', name: 'é'.repeat(128), value: 1 }]],
    ['a header that is not JSON', { big: 1n }, []],
    ['a section value that is not JSON', {}, [{ kind: 'json', name: 'f', value: undefined }]],
    ['RAM that is not whole frames', {}, [{ kind: 'memory', name: 'm', memory: { size: 100, u8: new Uint8Array(100) } }]],
    ['RAM shorter than its size', {}, [{ kind: 'memory', name: 'm', memory: { size: 2 * FRAME_SIZE, u8: new Uint8Array(FRAME_SIZE) } }]],
    ['frames out of order', {}, [{ kind: 'memory', name: 'm', memory: { size: 4 * FRAME_SIZE, frames: () => [2, 1].map((frame) => ({ frame, data: new Uint8Array(FRAME_SIZE) })) } }]],
  ])('refuses %s before touching the disk', async (_, header, sections) => {
    const path = join(dir, 'invalid.snap');
    const w = await writeSnapshot(path, header, sections);
    expect(w).toMatchObject({ ok: false, error: { code: 'SNAPSHOT_INVALID_INPUT' } });
    expect(existsSync(path) || existsSync(partPathOf(path))).toBe(false);
  });

  it('refuses a target path ending in .part and a directory that does not exist', async () => {
    expect(await writeSnapshot(join(dir, 'x.part'), {}, [])).toMatchObject({ ok: false, error: { code: 'SNAPSHOT_INVALID_INPUT' } });
    expect(await writeSnapshot(join(dir, 'no-such-dir', 'x.snap'), {}, [])).toMatchObject({
      ok: false, error: { code: 'SNAPSHOT_IO', message: expect.stringContaining('create the part file') },
    });
  });

  it('leaves no .part behind when the rename into place fails', async () => {
    const path = join(dir, 'taken.snap');
    mkdirSync(path);
    expect(await writeSnapshot(path, { a: 1 }, [])).toMatchObject({ ok: false, error: { code: 'SNAPSHOT_IO', message: expect.stringContaining('rename the part file into place') } });
    expect(existsSync(partPathOf(path))).toBe(false);
  });

  it('writes and reads a snapshot with no sections', async () => {
    const path = join(dir, 'empty.snap');
    expect(await writeSnapshot(path, { only: 'header' }, [])).toMatchObject({ ok: true, value: { sections: 0, memoryFrames: 0 } });
    const view = await readSnapshot(path);
    expect(view.ok && view.value.header).toEqual({ only: 'header' });
    if (view.ok) await view.value.close();
  });
});
