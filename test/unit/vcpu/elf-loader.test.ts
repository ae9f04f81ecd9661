import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { loadElf, type LoadedProgram } from '../../../src/vcpu/elf/elf-loader.js';
import { DYN_BASE } from '../../../src/vcpu/elf/elf-layout.js';
import { ET_DYN } from '../../../src/vcpu/elf/elf32-file.js';
import { AT } from '../../../src/vcpu/elf/initial-stack.js';
import { isElfError } from '../../../src/vcpu/elf/elf-error.js';
import { writeElf32, wordsToBytes } from '../../../src/vcpu/elf/elf-writer.js';
import { GuestMemory } from '../../../src/vcpu/guest-memory.js';
import { PTE } from '../../../src/vcpu/page-table-entry.js';
import { RAM_BASE } from '../../../src/vcpu/memory-layout.js';
import { saveGuestMemory } from '../../../src/vcpu/guest-memory.persist.js';
import { SeededRandom } from '../../../src/guest-kernel/seeded-random.js';
import { IMAGES_DIR, IMAGE_NAMES } from '../../../src/run-elf/image-path.js';

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
      [patched(good, 16, [4], 2), 'ELF_BAD_TYPE'],
      [patched(good, 18, [62], 2), 'ELF_BAD_MACHINE'],
      [patched(good, 42, [56], 2), 'ELF_BAD_PHDR'],
      [patched(good, 44, [0], 2), 'ELF_BAD_PHDR'],
      [patched(good, 44, [60000], 2), 'ELF_BAD_PHDR'],
      [patched(good, 44, [129], 2), 'ELF_BAD_PHDR'],
      [patched(good, 52, [3], 4), 'ELF_DYNAMIC'],
      [patched(good, 52 + 16, [0x100, 0x10], 4), 'ELF_BAD_SEGMENT'],
      [patched(good, 52 + 16, [0x7fffffff, 0x7fffffff], 4), 'ELF_TRUNCATED'],
      [patched(good, 52 + 20, [0xfffffff0], 4), 'ELF_BAD_SEGMENT'],
      [patched(good, 52 + 20, [0x40000000], 4), 'ELF_TOO_BIG'],
      [writeElf32(RAM_BASE + 0x3ff000, [{ vaddr: RAM_BASE + 0x3ff000, bytes: code, flags: 5 }]), 'ELF_SEGMENT_IN_STACK'],
      [writeElf32(0x10000, [{ vaddr: 0x10000, bytes: code, memsz: 0x2000, flags: 5 }]), 'ELF_BSS_NOT_WRITABLE'],
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
        const memory = new CountingMemory(2 << 20);
        const r = loadElf(memory, bytes, { argv: [name] });
        if (isElfError(r)) {
          errors++;
          expect(r.message.length).toBeGreaterThan(0);
          expect(memory.writes).toBe(0);
        } else {
          loads++;
          expect(r.space.memory).toBe(memory);
          expect(r.space.offsetOf(r.entry, PTE.EXEC)).toBeGreaterThanOrEqual(0);
          r.space.dispose();
        }
      }
    }
    expect(errors).toBeGreaterThan(100);
    expect(errors + loads).toBe(IMAGE_NAMES.length * 400);
  });
});

/** The words of the auxiliary vector on the initial stack. */
function auxv(p: LoadedProgram): Map<number, number> {
  const word = (a: number): number => p.space.readU32(a)!;
  let a = p.sp + 4 + 4 * word(p.sp) + 4;
  while (word(a) !== 0) a += 4;
  const aux = new Map<number, number>();
  for (a += 4; word(a) !== 0; a += 8) aux.set(word(a), word(a + 4));
  return aux;
}

function loaded(bytes: Uint8Array, mib = 4, argv = ['x']): LoadedProgram {
  const r = loadElf(GuestMemory.ofMiB(mib), bytes, { argv });
  if (isElfError(r)) throw new Error(`${r.code}: ${r.message}`);
  return r;
}

describe('loadElf maps segments where they ask, as Linux does', () => {
  const text = wordsToBytes([0x13, 0x13, 0x13, 0x13]);
  const data = new TextEncoder().encode('data!');

  it('a program linked at 0x10000 (Linux\'s usual address) gets frames from the bottom of RAM', () => {
    const p = loaded(writeElf32(0x10000, [{ vaddr: 0x10000, bytes: text, flags: 5 }, { vaddr: 0x11000, bytes: data, memsz: 0x2000, flags: 6 }]));
    expect(p.entry).toBe(0x10000);
    expect(p.space.physicalAddress(0x10000)).toBe(RAM_BASE);
    expect(p.space.physicalAddress(0x11000)).toBe(RAM_BASE + 0x1000);
    expect(p.space.readU32(0x10004)).toBe(0x13);
    expect(new TextDecoder().decode(p.space.read(0x11000, 5) as Uint8Array)).toBe('data!');
    expect(p.brkStart).toBe(0x13000);
    // the break has every frame left below the stack, and no page of it is a frame of the image
    expect(p.space.physicalAddress(p.brkStart)).toBe(RAM_BASE + 0x3000);
    expect(p.brkLimit - p.brkStart).toBe(4 * 1024 * 1024 - (1 << 20) - 0x3000);
    expect(p.space.canAccess(p.brkLimit - 4, 4, true)).toBe(true);
    expect(p.space.canAccess(p.brkLimit, 4)).toBe(false);
    // nothing else is mapped: not RAM at its own address, not the page below the image
    expect(p.space.canAccess(RAM_BASE, 4)).toBe(false);
    expect(p.space.canAccess(0xf000, 4)).toBe(false);
  });

  it('a program linked in RAM is placed at its own guest-physical addresses, its break up to the stack', () => {
    const p = loaded(image('hello'));
    expect(p.space.physicalAddress(RAM_BASE)).toBe(RAM_BASE);
    expect(p.space.physicalAddress(p.brkStart)).toBe(p.brkStart);
    expect(p.brkLimit).toBe(p.stackBottom);
  });

  it('a static-pie (ET_DYN) is loaded at a base, and the auxiliary vector points into it', () => {
    const elf = patched(writeElf32(0x8, [{ vaddr: 0, bytes: text, flags: 5 }]), 16, [ET_DYN], 2);
    const p = loaded(elf);
    expect(p.entry).toBe(DYN_BASE + 0x8);
    expect(p.space.physicalAddress(DYN_BASE)).toBe(RAM_BASE);
    expect(auxv(p).get(AT.ENTRY)).toBe(DYN_BASE + 0x8);
    const other = loadElf(GuestMemory.ofMiB(4), elf, { argv: ['x'], dynBase: 0x20000 });
    expect(isElfError(other) ? other.code : other.entry).toBe(0x20008);
  });

  it('pages hold what a file mapping gives: the file before a segment on its page, after it when there is no bss', () => {
    const file = writeElf32(0x10000, [{ vaddr: 0x10000, bytes: text, flags: 5 }]);
    // the segment starts 8 bytes into its file page: the first 8 bytes of the page are the file's
    const v = new DataView(file.buffer);
    v.setUint32(52 + 4, 0x1008, true); v.setUint32(52 + 8, 0x10008, true); v.setUint32(52 + 12, 0x10008, true);
    v.setUint32(52 + 16, 8, true); v.setUint32(52 + 20, 8, true); v.setUint32(24, 0x10008, true);
    const p = loaded(file);
    expect(Array.from(p.space.read(0x10000, 16) as Uint8Array)).toEqual(Array.from(file.subarray(0x1000, 0x1010)));
    // with bss the rest of the last file page is zero (a writable segment)
    const bss = loaded(writeElf32(0x10000, [{ vaddr: 0x10000, bytes: text, flags: 5 }, { vaddr: 0x11000, bytes: data, memsz: 0x1800, flags: 6 }]));
    expect(Array.from(bss.space.read(0x11000, 8) as Uint8Array)).toEqual([...data, 0, 0, 0]);
  });

  it('an executable segment with memsz > filesz: zero pages when its file part ends on a page boundary, else SIGSEGV while loading', () => {
    const page = new Uint8Array(4096).fill(0x13);
    const p = loaded(writeElf32(0x10000, [{ vaddr: 0x10000, bytes: page, memsz: 0x3000, flags: 5 }]));
    expect(p.space.readU32(0x11ffc)).toBe(0);
    expect(p.space.offsetOf(0x12000, PTE.EXEC)).toBeGreaterThanOrEqual(0);
    const r = loadElf(GuestMemory.ofMiB(4), writeElf32(0x10000, [{ vaddr: 0x10000, bytes: text, memsz: 0x3000, flags: 5 }]), { argv: ['x'] });
    expect(isElfError(r) && [r.code, r.signal]).toEqual(['ELF_BSS_NOT_WRITABLE', 11]);
  });

  it('takes up to 128 program headers (one page of them, as Linux reads)', () => {
    const many = (n: number): Uint8Array => {
      const one = writeElf32(0x10000, [{ vaddr: 0x10000, bytes: text, flags: 5 }]);
      const out = new Uint8Array(0x2000 + 4096);
      out.set(one.subarray(0, 52));
      out.set(one.subarray(0x1000, 0x1000 + text.length), 0x2000);
      const v = new DataView(out.buffer);
      v.setUint16(44, n, true);
      for (let i = 0; i < n; i++) v.setUint32(52 + 32 * i, 4, true); // PT_NOTE
      out.set(one.subarray(52, 84), 52 + 32 * (n - 1));
      v.setUint32(52 + 32 * (n - 1) + 4, 0x2000, true);
      return out;
    };
    expect(loaded(many(67)).entry).toBe(0x10000);
    expect(loaded(many(128)).entry).toBe(0x10000);
    const r = loadElf(GuestMemory.ofMiB(4), many(129), { argv: ['x'] });
    expect(isElfError(r) && r.code).toBe('ELF_BAD_PHDR');
  });
});
