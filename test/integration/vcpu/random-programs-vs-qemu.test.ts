import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { HAVE_QEMU, runCella, runQemu } from './support/qemu.js';
import { DUMP_BYTES, randomProgramPack } from './support/random-programs.js';

const PACKS = 10;
const PER_PACK = 400;
const dir = mkdtempSync(join(tmpdir(), 'cella-random-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Index of the first program whose dump differs, or -1. */
function firstDifference(a: Buffer, b: Buffer): number {
  for (let p = 0; p * DUMP_BYTES < Math.max(a.length, b.length); p++) {
    const s = p * DUMP_BYTES;
    if (!a.subarray(s, s + DUMP_BYTES).equals(b.subarray(s, s + DUMP_BYTES))) return p;
  }
  return -1;
}

describe.skipIf(!HAVE_QEMU)(`${PACKS * PER_PACK} random RV32IM programs against qemu-riscv32`, () => {
  for (let pack = 0; pack < PACKS; pack++) {
    it(`pack ${pack} (seed ${1000 + pack}) dumps the same registers and memory as qemu, compiled, interpreted and in slices`, () => {
      const { elf } = randomProgramPack(1000 + pack, PER_PACK);
      const path = join(dir, `pack-${pack}.elf`);
      writeFileSync(path, elf, { mode: 0o755 });
      const ref = runQemu(path, []);
      expect(ref.status).toBe(0);
      expect(ref.stdout.length).toBe(PER_PACK * DUMP_BYTES);
      const runs = {
        compiled: runCella(elf, [], undefined, { compileThreshold: 0 }),
        interpreted: runCella(elf, [], undefined, { trace: () => {} }),
        'tiered, in slices of 7': runCella(elf, [], undefined, { slice: 7 }),
      };
      for (const [how, ours] of Object.entries(runs)) {
        expect(ours.status, how).toBe(0);
        expect(firstDifference(ours.stdout, ref.stdout), `${how}: first differing program`).toBe(-1);
      }
    });
  }
});
