import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { div, divu, mulh, mulhsu, mulhu, rem, remu } from '../../../src/vcpu/rv32/mul-div.js';

const s64 = (v: number): bigint => BigInt(v | 0);
const u64 = (v: number): bigint => BigInt(v >>> 0);
const high = (p: bigint): number => Number(BigInt.asIntN(32, p >> 32n));
const edge = fc.oneof(fc.integer({ min: -2147483648, max: 2147483647 }),
  fc.constantFrom(0, 1, -1, 2, -2, 0x7fffffff, -0x80000000, 0xffff, 0x10000, -0x10000));

describe('RV32M arithmetic', () => {
  it('mulh, mulhsu and mulhu give the upper half of the 64-bit product', () => {
    fc.assert(fc.property(edge, edge, (a, b) => {
      expect(mulh(a, b)).toBe(high(s64(a) * s64(b)));
      expect(mulhsu(a, b)).toBe(high(s64(a) * u64(b)));
      expect(mulhu(a, b)).toBe(high(u64(a) * u64(b)));
    }), { numRuns: 5000, seed: 42 });
  });

  it('division by zero and overflow follow the RISC-V spec', () => {
    expect(div(7, 0)).toBe(-1);
    expect(divu(7, 0)).toBe(-1);
    expect(rem(7, 0)).toBe(7);
    expect(remu(-7, 0)).toBe(-7);
    expect(div(-0x80000000, -1)).toBe(-0x80000000);
    expect(rem(-0x80000000, -1)).toBe(0);
  });

  it('div, divu, rem and remu truncate like 32-bit hardware', () => {
    fc.assert(fc.property(edge, edge.filter((b) => b !== 0), (a, b) => {
      const q = BigInt.asIntN(32, s64(a) / s64(b));
      expect(div(a, b)).toBe(Number(q));
      expect(rem(a, b)).toBe(Number(BigInt.asIntN(32, s64(a) % s64(b))));
      expect(divu(a, b)).toBe(Number(BigInt.asIntN(32, u64(a) / u64(b))));
      expect(remu(a, b)).toBe(Number(BigInt.asIntN(32, u64(a) % u64(b))));
    }), { numRuns: 5000, seed: 7 });
  });
});
