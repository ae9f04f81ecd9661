import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadElf } from '../../../src/vcpu/elf/elf-loader.js';
import { isElfError } from '../../../src/vcpu/elf/elf-error.js';
import { writeElf32, wordsToBytes } from '../../../src/vcpu/elf/elf-writer.js';
import { GuestMemory } from '../../../src/vcpu/guest-memory.js';
import { RAM_BASE } from '../../../src/vcpu/memory-layout.js';
import { saveGuestMemory } from '../../../src/vcpu/guest-memory.persist.js';
import { SeededRandom } from '../../../src/vmm/pv/seeded-random.js';
import { IMAGES_DIR, IMAGE_NAMES } from '../../../src/vmm/run-elf/image-path.js';

/** Memory that counts host writes, to check that a refused file loads nothing. */
class CountingMemory extends GuestMemory {
  writes = 0;
  override write(addr: number, bytes: Uint8Array): ReturnType<GuestMemory['write']> { this.writes++; return super.write(addr, bytes); }
  override zero(addr: number, length: number): ReturnType<GuestMemory['zero']> { this.writes++; return super.zero(addr, length); }
}

const image = (name: string): Uint8Array => new Uint8Array(readFileSync(`${IMAGES_DIR}${name}.elf`));
const code = wordsToBytes([0x13, 0x13]);

function patched(bytes: Uint8Array, at: number, values: number[], width: 1 | 2 | 4 = 1): Uint8Array {
  const out = bytes.slice();
  const v = new DataView(out.buffer);
  values.forEach((x, k) => (width === 1 ? v.setUint8(at + k, x) : width === 2 ? v.setUint16(at + 2 * k, x, true) : v.setUint32(at + 4 * k, x >>> 0, true)));
  return out;
}

describe('loadElf', () => {
  it('loads a sample program with entry, brk and a Linux initial stack', () => {
    const memory = GuestMemory.ofMiB(16);
    const p = loadElf(memory, image('hello'), { argv: ['hello', 'a b'], envp: ['K=V'], random: new Uint8Array(16).fill(7) });
    if (isElfError(p)) throw new Error(p.message);
    expect(p.entry).toBe(RAM_BASE);
    expect(p.sp % 16).toBe(0);
    expect(p.brkStart % 4096).toBe(0);
    const word = (a: number): number => memory.readU32(a)!;
    const str = (a: number): string => { let s = ''; for (let c; (c = memory.u8[a - RAM_BASE + s.length]) !== 0;) s += String.fromCharCode(c); return s; };
    expect(word(p.sp)).toBe(2);
    expect(str(word(p.sp + 4))).toBe('hello');
    expect(str(word(p.sp + 8))).toBe('a b');
    expect(word(p.sp + 12)).toBe(0);
    expect(str(word(p.sp + 16))).toBe('K=V');
    expect(word(p.sp + 20)).toBe(0);
    const aux = new Map<number, number>();
    for (let a = p.sp + 24; word(a) !== 0; a += 8) aux.set(word(a), word(a + 4));
    expect(aux.get(6)).toBe(4096);
    expect(aux.get(9)).toBe(RAM_BASE);
    expect(memory.u8[aux.get(25)! - RAM_BASE]).toBe(7);
  });

  it('rejects malformed files with a coded error', () => {
    const good = writeElf32(RAM_BASE, [{ vaddr: RAM_BASE, bytes: code, flags: 5 }]);
    const cases: [Uint8Array, string][] = [
      [good.subarray(0, 40), 'ELF_TRUNCATED'],
      [patched(good, 0, [0x7e]), 'ELF_BAD_MAGIC'],
      [patched(good, 4, [2]), 'ELF_BAD_CLASS'],
      [patched(good, 5, [2]), 'ELF_BAD_ENCODING'],
      [patched(good, 16, [3], 2), 'ELF_BAD_TYPE'],
      [patched(good, 18, [62], 2), 'ELF_BAD_MACHINE'],
      [patched(good, 42, [56], 2), 'ELF_BAD_PHDR'],
      [patched(good, 44, [0], 2), 'ELF_BAD_PHDR'],
      [patched(good, 44, [60000], 2), 'ELF_BAD_PHDR'],
      [patched(good, 52 + 16, [0x100, 0x10], 4), 'ELF_BAD_SEGMENT'],
      [patched(good, 52 + 16, [0x7fffffff, 0x7fffffff], 4), 'ELF_TRUNCATED'],
      [patched(good, 52 + 20, [0xfffffff0], 4), 'ELF_BAD_SEGMENT'],
      [patched(good, 52 + 20, [0x40000000], 4), 'ELF_SEGMENT_OUT_OF_RAM'],
      [writeElf32(0x1000, [{ vaddr: 0x1000, bytes: code, flags: 5 }]), 'ELF_SEGMENT_OUT_OF_RAM'],
      [writeElf32(RAM_BASE + 4, [{ vaddr: RAM_BASE, bytes: code, flags: 6 }]), 'ELF_BAD_ENTRY'],
      [writeElf32(RAM_BASE + 2, [{ vaddr: RAM_BASE, bytes: code, flags: 5 }]), 'ELF_BAD_ENTRY'],
      [writeElf32(RAM_BASE, [{ vaddr: RAM_BASE, bytes: code, flags: 5 }, { vaddr: RAM_BASE + 4, bytes: code, flags: 6 }]), 'ELF_SEGMENTS_OVERLAP'],
      [patched(good, 52, [4], 4), 'ELF_NO_LOAD_SEGMENT'],
    ];
    for (const [bytes, code] of cases) {
      const memory = GuestMemory.ofMiB(4);
      const r = loadElf(memory, bytes, { argv: ['x'] });
      expect(isElfError(r) ? r.code : 'loaded', code).toBe(code);
      expect(saveGuestMemory(memory).frames, `${code} left memory untouched`).toEqual([]);
    }
  });

  it('refuses arguments that do not fit the stack', () => {
    const r = loadElf(GuestMemory.ofMiB(1), image('hello'), { argv: ['x'.repeat(300_000)] });
    expect(isElfError(r) && r.code).toBe('ELF_ARGS_TOO_LONG');
  });

  it('survives mutation fuzzing of the sample images: only coded errors or a clean load', () => {
    const rnd = new SeededRandom(2026);
    let errors = 0, loads = 0;
    for (const name of IMAGE_NAMES) {
      const original = image(name);
      for (let k = 0; k < 400; k++) {
        const bytes = original.slice(0, rnd.next() % 8 === 0 ? rnd.next() % original.length : original.length);
        const flips = 1 + (rnd.next() % 8);
        for (let f = 0; f < flips; f++) {
          const at = rnd.next() % 8 < 6 ? rnd.next() % Math.min(bytes.length, 52 + 32 * 4) : rnd.next() % bytes.length;
          bytes[at] = rnd.next() % 4 === 0 ? 0xff : rnd.next() & 0xff;
        }
        const memory = new CountingMemory(8 << 20);
        const r = loadElf(memory, bytes, { argv: [name] });
        if (isElfError(r)) {
          errors++;
          expect(r.message.length).toBeGreaterThan(0);
          expect(memory.writes).toBe(0);
        } else {
          loads++;
          expect(r.entry).toBeGreaterThanOrEqual(RAM_BASE);
        }
      }
    }
    expect(errors).toBeGreaterThan(100);
    expect(errors + loads).toBe(IMAGE_NAMES.length * 400);
  });
});
