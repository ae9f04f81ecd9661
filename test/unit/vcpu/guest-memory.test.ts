import { describe, expect, it } from 'vitest';
import { GuestMemory, StoreResult } from '../../../src/vcpu/guest-memory.js';
import { ACCESS_FAULT, RAM_BASE } from '../../../src/vcpu/memory-layout.js';
import type { OutsideRamHandler } from '../../../src/vcpu/outside-ram-handler.js';
import { restoreGuestMemory, saveGuestMemory } from '../../../src/vcpu/guest-memory.persist.js';

describe('GuestMemory', () => {
  it('places RAM at 0x8000_0000 and rejects host accesses outside it', () => {
    const m = GuestMemory.ofMiB(1);
    expect(m.write(RAM_BASE + 0xffffc, new Uint8Array([1, 2, 3, 4]))).toBeUndefined();
    expect(m.readU32(RAM_BASE + 0xffffc)).toBe(0x04030201);
    expect(m.write(RAM_BASE + 0xffffe, new Uint8Array(4))).toMatchObject({ code: 'EFAULT' });
    expect(m.read(RAM_BASE - 1, 2)).toMatchObject({ code: 'EFAULT' });
  });

  it('serves misaligned guest loads and stores little-endian', () => {
    const m = GuestMemory.ofMiB(1);
    expect(m.store(RAM_BASE + 5, 4, 0xdeadbeef)).toBe(StoreResult.OK);
    expect(m.load(RAM_BASE + 5, 4)).toBe(0xdeadbeef);
    expect(m.load(RAM_BASE + 6, 2)).toBe(0xadbe);
    expect(m.load(RAM_BASE + 4, 4)).toBe(0xadbeef00);
  });

  it('faults accesses that straddle the end of RAM and sends others outside RAM to the handler', () => {
    const m = GuestMemory.ofMiB(1);
    const seen: string[] = [];
    const device: OutsideRamHandler = {
      read: (addr, size) => { seen.push(`r${size}@${addr.toString(16)}`); return 0x1234; },
      write: (addr, size) => { seen.push(`w${size}@${addr.toString(16)}`); return addr !== 0x1000; },
    };
    m.outside = device;
    expect(m.load(RAM_BASE + 0xffffe, 4)).toBe(ACCESS_FAULT);
    expect(m.load(0x2000, 2)).toBe(0x1234);
    expect(m.store(0x1000, 4, 1)).toBe(StoreResult.FAULT);
    expect(m.store(0x1004, 1, 1)).toBe(StoreResult.OK);
    expect(seen).toEqual(['r2@2000', 'w4@1000', 'w1@1004']);
  });

  it('drops compiled code of a frame on guest stores and host writes to it', () => {
    const m = GuestMemory.ofMiB(1);
    m.code.insert(0x3000, 0, () => 0);
    expect(m.store(RAM_BASE + 0x4000, 4, 1)).toBe(StoreResult.OK);
    expect(m.code.lookup(0x3000, 0)).toBeDefined();
    expect(m.store(RAM_BASE + 0x3ffe, 4, 1)).toBe(StoreResult.CODE_WRITTEN);
    expect(m.code.lookup(0x3000, 0)).toBeUndefined();
    m.code.insert(0x3000, 0, () => 0);
    m.write(RAM_BASE + 0x3100, new Uint8Array([1]));
    expect(m.code.lookup(0x3000, 0)).toBeUndefined();
  });

  it('saves only non-zero frames and restores the same bytes', () => {
    const m = GuestMemory.ofMiB(4);
    m.write(RAM_BASE + 0x5008, new Uint8Array([9, 8, 7]));
    m.write(RAM_BASE + 0x3ff000, new Uint8Array([1]));
    const state = JSON.parse(JSON.stringify(saveGuestMemory(m)));
    expect(state.frames.map((f: { frame: number }) => f.frame)).toEqual([5, 0x3ff]);
    const back = restoreGuestMemory(state);
    expect(back.read(RAM_BASE + 0x5008, 3)).toEqual(new Uint8Array([9, 8, 7]));
    expect(back.readU32(RAM_BASE + 0x3ff000)).toBe(1);
  });
});
