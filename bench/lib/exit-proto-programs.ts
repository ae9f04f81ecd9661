/** The two guest programs of the exit-design prototype, hand-assembled RV32I (bench/smp-exits.bench.ts). */
import { writeElf32, wordsToBytes } from '../../src/vcpu/elf/elf-writer.js';

const T0 = 5, T1 = 6, A0 = 10, A7 = 17;
const lui = (rd: number, imm20: number) => ((imm20 << 12) | (rd << 7) | 0x37) >>> 0;
const addi = (rd: number, rs1: number, imm: number) => (((imm & 0xfff) << 20) | (rs1 << 15) | (rd << 7) | 0x13) >>> 0;
const bne = (rs1: number, rs2: number, off: number) =>
  ((((off >> 12) & 1) << 31) | (((off >> 5) & 0x3f) << 25) | (rs2 << 20) | (rs1 << 15) | (1 << 12) | (((off >> 1) & 0xf) << 8) | (((off >> 11) & 1) << 7) | 0x63) >>> 0;
const ECALL = 0x73;
const EXIT = [addi(A7, 0, 93), addi(A0, 0, 0), ECALL];
const ENTRY = 0x10000;

/** `count` getpid syscalls in a loop (4 instructions per exit), then exit(0). */
export function syscallHeavy(count: number): Uint8Array {
  const words = [lui(T0, count >>> 12), addi(A7, 0, 172), ECALL, addi(T0, T0, -1), bne(T0, 0, -12), ...EXIT];
  return writeElf32(ENTRY, [{ vaddr: ENTRY, bytes: wordsToBytes(words), flags: 5 }]);
}

/** A counting loop of `count` iterations (3 instructions each) with no exit until exit(0). */
export function cpuBound(count: number): Uint8Array {
  const words = [lui(T0, count >>> 12), addi(T1, T1, 1), addi(T0, T0, -1), bne(T0, 0, -8), ...EXIT];
  return writeElf32(ENTRY, [{ vaddr: ENTRY, bytes: wordsToBytes(words), flags: 5 }]);
}
