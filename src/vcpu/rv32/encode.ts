/** Encoder from instruction fields to RV32IM machine words (the inverse of decode, for tests and tools). */

const r = (f7: number, rs2: number, rs1: number, f3: number, rd: number, opc: number): number =>
  ((f7 << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opc) >>> 0;
const i = (imm: number, rs1: number, f3: number, rd: number, opc: number): number =>
  (((imm & 0xfff) << 20) | (rs1 << 15) | (f3 << 12) | (rd << 7) | opc) >>> 0;
const s = (imm: number, rs2: number, rs1: number, f3: number, opc: number): number =>
  ((((imm >> 5) & 0x7f) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12) | ((imm & 31) << 7) | opc) >>> 0;
const b = (imm: number, rs2: number, rs1: number, f3: number): number =>
  ((((imm >> 12) & 1) << 31) | (((imm >> 5) & 63) << 25) | (rs2 << 20) | (rs1 << 15) | (f3 << 12)
    | (((imm >> 1) & 15) << 8) | (((imm >> 11) & 1) << 7) | 0x63) >>> 0;
const u = (imm: number, rd: number, opc: number): number => ((imm & 0xfffff000) | (rd << 7) | opc) >>> 0;
const j = (imm: number, rd: number): number =>
  ((((imm >> 20) & 1) << 31) | (((imm >> 1) & 1023) << 21) | (((imm >> 11) & 1) << 20) | (((imm >> 12) & 255) << 12)
    | (rd << 7) | 0x6f) >>> 0;

const REG: Record<string, [number, number]> = {
  add: [0, 0], sub: [0x20, 0], sll: [0, 1], slt: [0, 2], sltu: [0, 3], xor: [0, 4], srl: [0, 5], sra: [0x20, 5],
  or: [0, 6], and: [0, 7], mul: [1, 0], mulh: [1, 1], mulhsu: [1, 2], mulhu: [1, 3], div: [1, 4], divu: [1, 5],
  rem: [1, 6], remu: [1, 7],
};
const IMM: Record<string, number> = { addi: 0, slti: 2, sltiu: 3, xori: 4, ori: 6, andi: 7 };
const SHIFT: Record<string, [number, number]> = { slli: [0, 1], srli: [0, 5], srai: [0x20, 5] };
const LOAD: Record<string, number> = { lb: 0, lh: 1, lw: 2, lbu: 4, lhu: 5 };
const STORE: Record<string, number> = { sb: 0, sh: 1, sw: 2 };
const BRANCH: Record<string, number> = { beq: 0, bne: 1, blt: 4, bge: 5, bltu: 6, bgeu: 7 };
const CSR: Record<string, number> = { csrrw: 1, csrrs: 2, csrrc: 3, csrrwi: 5, csrrsi: 6, csrrci: 7 };

export type RegOp = keyof typeof REG;
export const REG_OPS = Object.keys(REG);
export const IMM_OPS = Object.keys(IMM);
export const SHIFT_OPS = Object.keys(SHIFT);
export const LOAD_OPS = Object.keys(LOAD);
export const STORE_OPS = Object.keys(STORE);
export const BRANCH_OPS = Object.keys(BRANCH);

const must = <T>(v: T | undefined, name: string): T => {
  if (v === undefined) throw new Error(`unknown mnemonic ${name}`);
  return v;
};

export const enc = {
  reg: (op: string, rd: number, rs1: number, rs2: number): number => { const [f7, f3] = must(REG[op], op); return r(f7, rs2, rs1, f3, rd, 0x33); },
  imm: (op: string, rd: number, rs1: number, imm: number): number => i(imm, rs1, must(IMM[op], op), rd, 0x13),
  shift: (op: string, rd: number, rs1: number, sh: number): number => { const [f7, f3] = must(SHIFT[op], op); return r(f7, sh & 31, rs1, f3, rd, 0x13); },
  load: (op: string, rd: number, rs1: number, imm: number): number => i(imm, rs1, must(LOAD[op], op), rd, 0x03),
  store: (op: string, rs2: number, rs1: number, imm: number): number => s(imm, rs2, rs1, must(STORE[op], op), 0x23),
  branch: (op: string, rs1: number, rs2: number, imm: number): number => b(imm, rs2, rs1, must(BRANCH[op], op)),
  csr: (op: string, rd: number, csr: number, rs1OrUimm: number): number => i(csr, rs1OrUimm, must(CSR[op], op), rd, 0x73),
  lui: (rd: number, imm: number): number => u(imm, rd, 0x37),
  auipc: (rd: number, imm: number): number => u(imm, rd, 0x17),
  jal: (rd: number, imm: number): number => j(imm, rd),
  jalr: (rd: number, rs1: number, imm: number): number => i(imm, rs1, 0, rd, 0x67),
  ecall: (): number => 0x00000073,
  ebreak: (): number => 0x00100073,
  mret: (): number => 0x30200073,
  wfi: (): number => 0x10500073,
  fence: (): number => 0x0ff0000f,
  fenceI: (): number => 0x0000100f,
};

/** Instructions loading the 32-bit constant `value` into `rd` (lui + addi). */
export function li(rd: number, value: number): number[] {
  const lo = (value << 20) >> 20;
  const hi = (value - lo) | 0;
  return hi === 0 ? [enc.imm('addi', rd, 0, lo)] : [enc.lui(rd, hi), enc.imm('addi', rd, rd, lo)];
}
