import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { GuestMemory } from '../../../src/vcpu/guest-memory.js';
import { FRAME_SIZE } from '../../../src/vcpu/memory-layout.js';
import {
  FORMAT_VERSION, readSnapshot, writeSnapshot, type FrameRef, type FrameSource, type SectionInput,
} from '../../../src/vmm/suspend/format/index.js';
import { sampleHeader, sampleSections, differencesFromSample } from './support/sample.js';
import { tempDir } from './support/temp-dir.js';

const dir = tempDir('snap-roundtrip');

/** A memory of `frames` frames with the given (frame, offset, byte) writes applied. */
function memoryWith(frames: number, writes: readonly (readonly [number, number, number])[]): GuestMemory {
  const m = new GuestMemory(frames * FRAME_SIZE);
  for (const [f, off, byte] of writes) m.u8[(f % frames) * FRAME_SIZE + off] = byte;
  return m;
}

const memoryArb = fc.record({
  frames: fc.integer({ min: 1, max: 40 }),
  writes: fc.array(fc.tuple(fc.nat(), fc.integer({ min: 0, max: FRAME_SIZE - 1 }), fc.integer({ min: 1, max: 255 })), { maxLength: 60 }),
});

const jsonSectionsArb = fc.uniqueArray(
  fc.record({ name: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 12 }), value: fc.jsonValue({ maxDepth: 3 }) }),
  { selector: (s) => s.name, maxLength: 5 },
);

const headerArb = fc.dictionary(fc.string({ maxLength: 8 }), fc.jsonValue({ maxDepth: 2 }), { maxKeys: 4 });

function nonZeroFrameCount(m: GuestMemory): number {
  let n = 0;
  for (let f = 0; f < m.size / FRAME_SIZE; f++) if (m.u8.subarray(f * FRAME_SIZE, (f + 1) * FRAME_SIZE).some((b) => b !== 0)) n++;
  return n;
}

describe('snapshot round trip', () => {
  it('restores header, JSON sections and sparse memories exactly, leaving zero frames out of the file', async () => {
    let run = 0;
    await fc.assert(
      fc.asyncProperty(headerArb, jsonSectionsArb, fc.array(memoryArb, { minLength: 0, maxLength: 3 }), async (header, jsons, mems) => {
        const path = join(dir, `rt-${run++}.snap`);
        const memories = mems.map((m) => memoryWith(m.frames, m.writes));
        const sections: SectionInput[] = [
          ...jsons.map((s): SectionInput => ({ kind: 'json', name: `json:${s.name}`, value: s.value })),
          ...memories.map((memory, i): SectionInput => ({ kind: 'memory', name: `mem:${i}`, memory })),
        ];
        const written = await writeSnapshot(path, header, sections);
        expect(written.ok && written.value.bytes).toBe(readFileSync(path).length);
        const read = await readSnapshot(path);
        if (!read.ok) throw new Error(read.error.message);
        const view = read.value;
        try {
          expect(view.formatVersion).toBe(FORMAT_VERSION);
          expect(view.header).toEqual(JSON.parse(JSON.stringify(header)));
          expect(view.sections.map((s) => [s.name, s.kind])).toEqual(sections.map((s) => [s.name, s.kind]));
          for (const s of jsons) expect(view.json(`json:${s.name}`)).toEqual({ ok: true, value: JSON.parse(JSON.stringify(s.value)) });
          for (const [i, memory] of memories.entries()) {
            const reader = view.memory(`mem:${i}`);
            if (!reader.ok) throw new Error(reader.error.message);
            expect(reader.value.frameCount).toBe(nonZeroFrameCount(memory));
            const fresh = new GuestMemory(memory.size);
            expect(await reader.value.restoreInto(fresh)).toEqual({ ok: true, value: reader.value.frameCount });
            expect(Buffer.from(fresh.u8).equals(Buffer.from(memory.u8))).toBe(true);
          }
        } finally {
          await view.close();
        }
      }),
      { numRuns: 30 },
    );
  });

  it('stores exactly the non-zero frames: the file size follows from the record count', async () => {
    const path = join(dir, 'size.snap');
    const memory = memoryWith(64, [[0, 0, 1], [5, FRAME_SIZE - 1, 2], [63, 100, 3]]);
    const written = await writeSnapshot(path, { a: 1 }, [{ kind: 'memory', name: 'ram', memory }], { cellaVersion: '9.9.9' });
    const header = Buffer.from('{"a":1}');
    const expected = 40 + '9.9.9'.length + header.length + 20 + 'ram'.length + 16 + 3 * (4 + FRAME_SIZE) + 48;
    expect(written).toMatchObject({ ok: true, value: { bytes: expected, memoryFrames: 3 } });
    const view = await readSnapshot(path);
    if (!view.ok) throw new Error(view.error.message);
    expect(view.value.cellaVersion).toBe('9.9.9');
    const seen: number[] = [];
    const reader = view.value.memory('ram');
    if (!reader.ok) throw new Error(reader.error.message);
    await reader.value.forEachFrame((frame, data) => { seen.push(frame, data.length); });
    expect(seen).toEqual([0, FRAME_SIZE, 5, FRAME_SIZE, 63, FRAME_SIZE]);
    await view.value.close();
  });

  it('writes the same bytes from a frame iterator as from a RAM buffer', async () => {
    const memory = sampleSections(7, { frames: 48, density: 0.3 })[6];
    if (memory.kind !== 'memory' || !('u8' in memory.memory)) throw new Error('sample memory');
    const ram = memory.memory;
    const source: FrameSource = {
      size: ram.size,
      *frames(): Iterable<FrameRef> {
        for (let f = 0; f < ram.size / FRAME_SIZE; f++) yield { frame: f, data: ram.u8.subarray(f * FRAME_SIZE, (f + 1) * FRAME_SIZE) };
      },
    };
    await writeSnapshot(join(dir, 'ram.snap'), { x: 1 }, [{ kind: 'memory', name: 'm', memory: ram }]);
    await writeSnapshot(join(dir, 'iter.snap'), { x: 1 }, [{ kind: 'memory', name: 'm', memory: source }]);
    expect(readFileSync(join(dir, 'iter.snap')).equals(readFileSync(join(dir, 'ram.snap')))).toBe(true);
  });

  it('reports progress in bytes up to a total known before the first byte', async () => {
    const calls: [number, number][] = [];
    const path = join(dir, 'progress.snap');
    const written = await writeSnapshot(path, sampleHeader(3), sampleSections(3, { frames: 1024, density: 0.5 }), {
      onProgress: (done, total) => calls.push([done, total]),
    });
    if (!written.ok) throw new Error(written.error.message);
    const size = readFileSync(path).length;
    expect(calls.length).toBeGreaterThan(1);
    expect(calls.every(([, total]) => total === size)).toBe(true);
    expect(calls.map(([done]) => done)).toEqual([...calls.map(([done]) => done)].sort((a, b) => a - b));
    expect(calls.at(-1)).toEqual([size, size]);
    const view = await readSnapshot(path);
    if (!view.ok) throw new Error(view.error.message);
    expect(await differencesFromSample(view.value, 3, { frames: 1024, density: 0.5 })).toEqual([]);
    await view.value.close();
  });
});
