import { describe, expect, it } from 'vitest';
import { AddressSpace } from '../../../src/vcpu/address-space.js';
import { identityState, restoreAddressSpace, saveAddressSpace } from '../../../src/vcpu/address-space.persist.js';
import { ForeignFrameWindow } from '../../../src/vcpu/foreign-frame-window.js';
import { GuestMemory, StoreResult } from '../../../src/vcpu/guest-memory.js';
import { ACCESS_FAULT, RAM_BASE } from '../../../src/vcpu/memory-layout.js';
import { PAGE_COUNT, PTE, PTE_OPEN } from '../../../src/vcpu/page-table-entry.js';
import { pooledTables } from '../../../src/vcpu/page-table-pool.js';
import { TrapCause } from '../../../src/vcpu/rv32/trap-cause.js';
import { Vcpu } from '../../../src/vcpu/vcpu.js';
import { wordsToBytes } from '../../../src/vcpu/elf/elf-writer.js';
import { enc, li } from '../../../src/vcpu/rv32/encode.js';

const LOW = 0x10000 >>> 12;

/** A 1 MiB memory with pages 0x10000.. mapped to frames 5.. (open), and nothing else. */
function lowSpace(pages = 4): AddressSpace {
  const space = new AddressSpace(GuestMemory.ofMiB(1));
  for (let k = 0; k < pages; k++) space.map(LOW + k, 5 + k, PTE_OPEN);
  return space;
}

/** A vCPU on `space` running `code` placed at virtual 0x10000, compiling every block on first entry. */
function machine(space: AddressSpace, code: number[]): Vcpu {
  space.write(0x10000, wordsToBytes(code));
  const vcpu = new Vcpu(space);
  vcpu.pc = 0x10000;
  vcpu.compileThreshold = 0;
  return vcpu;
}

describe('AddressSpace', () => {
  it('translates by page: loads, stores and host accesses reach the mapped frames, across page ends too', () => {
    const s = lowSpace();
    expect(s.store(0x10ffe, 4, 0x11223344)).toBe(StoreResult.OK);
    expect(s.memory.u8[5 * 4096 + 0xffe]).toBe(0x44);
    expect(s.memory.u8[6 * 4096 + 1]).toBe(0x11);
    expect(s.load(0x10ffe, 4)).toBe(0x11223344);
    expect(s.readU32(0x10ffe)).toBe(0x11223344);
    expect(s.physicalAddress(0x11004)).toBe(RAM_BASE + 6 * 4096 + 4);
    expect(s.write(0x13ff0, new Uint8Array(32))).toMatchObject({ code: 'EFAULT' });
    expect(s.memory.u8[8 * 4096 + 0xff0]).toBe(0);
  });

  it('faults where no page maps, RAM addresses too; outside RAM unmapped addresses go to the outside handler', () => {
    const s = lowSpace();
    expect(s.load(RAM_BASE, 4)).toBe(ACCESS_FAULT);
    expect(s.store(0x14000, 1, 1)).toBe(StoreResult.FAULT);
    expect(s.load(0x13ffe, 4)).toBe(ACCESS_FAULT);
    const window = new ForeignFrameWindow();
    const peer = GuestMemory.ofMiB(1);
    peer.writeU32(RAM_BASE + 0x2000, 0xabcd);
    window.map(0x4000_0000, peer, RAM_BASE + 0x2000, true);
    s.memory.outside = window;
    expect(s.load(0x4000_0000, 4)).toBe(0xabcd);
  });

  it('keys of the fast path: hit gives the RAM offset, every other page sends it out of RAM', () => {
    const s = lowSpace(1);
    const size = s.memory.size;
    const outOfRam = (o: number) => o < 0 || o >= size;
    expect(0x10008 ^ s.loadKey[LOW]).toBe(5 * 4096 + 8);
    expect(0x10008 ^ s.storeKey[LOW]).toBe(5 * 4096 + 8);
    for (const a of [0, 0x8000, 0x11000, size - 4, size, RAM_BASE, RAM_BASE + 0x5000, 0xfffff000]) {
      expect(outOfRam(a ^ s.loadKey[a >>> 12]), `0x${a.toString(16)}`).toBe(true);
      expect(outOfRam(a ^ s.storeKey[a >>> 12]), `0x${a.toString(16)}`).toBe(true);
    }
  });

  it('withdraws fast stores from a frame that gets compiled code, and gives them back once a store dropped it', () => {
    const s = lowSpace(1);
    const hit = s.storeKey[LOW];
    s.memory.code.insert(5 * 4096, 0x10000, () => 0, s.id);
    expect(s.storeKey[LOW]).not.toBe(hit);
    expect(s.pte[LOW] & PTE.FAST_STORE).toBe(0);
    expect(s.loadKey[LOW]).toBe(hit);
    expect(s.store(0x10100, 4, 1)).toBe(StoreResult.CODE_WRITTEN);
    expect(s.storeKey[LOW]).toBe(hit);
  });

  it('saves its mappings as runs, restores them, and refuses a state that does not fit its memory', () => {
    const s = lowSpace();
    s.map(0x80000, 200, PTE.VALID | PTE.READ);
    const state = saveAddressSpace(s);
    expect(state.runs).toEqual([[LOW, 4, 5, PTE_OPEN], [0x80000, 1, 200, PTE.VALID | PTE.READ]]);
    const t = new AddressSpace(GuestMemory.ofMiB(1));
    restoreAddressSpace(t, state);
    expect(Array.from(t.pte.subarray(LOW, LOW + 5))).toEqual(Array.from(s.pte.subarray(LOW, LOW + 5)));
    expect(saveAddressSpace(AddressSpace.identity(GuestMemory.ofMiB(1)))).toEqual(identityState(1 << 20));
    expect(() => restoreAddressSpace(t, { runs: [[0, 1, 256, PTE_OPEN]] })).toThrow(/frames 256\+1/);
    expect(() => restoreAddressSpace(t, { runs: [[5, 2, 0, PTE_OPEN], [6, 1, 9, PTE_OPEN]] })).toThrow(/ascending/);
    expect(t.pte[LOW]).toBe(s.pte[LOW]);
  });

  it('gives its tables back all zero when disposed, and the next space starts empty', () => {
    const s = lowSpace();
    s.map(PAGE_COUNT - 1, 7, PTE_OPEN);
    const before = pooledTables();
    s.dispose();
    expect(pooledTables()).toBe(before + 1);
    const next = new AddressSpace(GuestMemory.ofMiB(2));
    expect(pooledTables()).toBe(before);
    expect(next.pte.every((e) => e === 0)).toBe(true);
    expect(next.loadKey.subarray(512).every((k) => k === 0)).toBe(true);
  });
});

describe('a vCPU on a translated address space', () => {
  it('runs code at 0x10000 compiled and stores through its pages', () => {
    const s = lowSpace();
    const vcpu = machine(s, [...li(5, 0x11000), ...li(6, 0x55), enc.store('sw', 6, 5, 8), enc.load('lw', 7, 5, 8), enc.ebreak()]);
    expect(vcpu.run(100)).toMatchObject({ reason: 'breakpoint', pc: 0x10000 + 4 * 5 });
    expect(vcpu.x[7]).toBe(0x55);
    expect(s.memory.u8[6 * 4096 + 8]).toBe(0x55);
  });

  it('faults at the exact instruction: a misaligned word crossing into an unmapped page, a fetch from an unmapped page', () => {
    const s = lowSpace(1);
    const vcpu = machine(s, [enc.imm('addi', 1, 0, 1), ...li(5, 0x10ffe), enc.load('lw', 6, 5, 0), enc.imm('addi', 1, 0, 2)]);
    expect(vcpu.run(100)).toMatchObject({ reason: 'fault', cause: TrapCause.LOAD_ACCESS_FAULT, pc: 0x10000 + 4 * 3, tval: 0x10ffe, retired: 3 });
    const jump = machine(lowSpace(1), [...li(5, 0x20000), enc.jalr(0, 5, 0)]);
    expect(jump.run(100)).toMatchObject({ reason: 'fault', cause: TrapCause.INSTRUCTION_ACCESS_FAULT, pc: 0x20000 });
  });

  it('runs self-modifying code: a store into a frame with compiled code drops it, the block after it sees the new instruction', () => {
    const s = lowSpace();
    // patch the instruction at 0x10100 (addi a0, x0, 1) into addi a0, x0, 2, then jump to it
    const patched = enc.imm('addi', 10, 0, 2);
    const code = [...li(5, 0x10100), ...li(6, patched), enc.jal(1, 0x100 - 4 * 4)];
    const vcpu = machine(s, code);
    s.write(0x10100, wordsToBytes([enc.imm('addi', 10, 0, 1), enc.ebreak()]));
    s.write(0x10200, wordsToBytes([enc.store('sw', 6, 5, 0), ...li(5, 0x10100), enc.jalr(0, 5, 0)]));
    // first run: jal lands at 0x10100 once (a0 = 1), compiled
    vcpu.run(100);
    expect(vcpu.x[10]).toBe(1);
    vcpu.pc = 0x10200;
    vcpu.x[5] = 0x10100;
    expect(vcpu.run(100).reason).toBe('breakpoint');
    expect(vcpu.x[10]).toBe(2);
  });

  it('compiles a frame mapped at two addresses for each of them', () => {
    const s = lowSpace(1);
    s.map(LOW + 8, 5, PTE_OPEN);
    // auipc gives the pc: the same code seen through both pages must see its own address
    const vcpu = machine(s, [enc.auipc(10, 0), enc.ebreak()]);
    vcpu.run(10);
    expect(vcpu.x[10] >>> 0).toBe(0x10000);
    vcpu.pc = 0x18000;
    vcpu.run(10);
    expect(vcpu.x[10] >>> 0).toBe(0x18000);
  });
});
