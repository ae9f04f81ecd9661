/** The RV32IM (+Zicsr, Zifencei) instruction set as decoded operations. */

export const Op = {
  ILLEGAL: 0,
  LUI: 1, AUIPC: 2, JAL: 3, JALR: 4,
  BEQ: 5, BNE: 6, BLT: 7, BGE: 8, BLTU: 9, BGEU: 10,
  LB: 11, LH: 12, LW: 13, LBU: 14, LHU: 15,
  SB: 16, SH: 17, SW: 18,
  ADDI: 19, SLTI: 20, SLTIU: 21, XORI: 22, ORI: 23, ANDI: 24, SLLI: 25, SRLI: 26, SRAI: 27,
  ADD: 28, SUB: 29, SLL: 30, SLT: 31, SLTU: 32, XOR: 33, SRL: 34, SRA: 35, OR: 36, AND: 37,
  MUL: 38, MULH: 39, MULHSU: 40, MULHU: 41, DIV: 42, DIVU: 43, REM: 44, REMU: 45,
  FENCE: 46, FENCE_I: 47, ECALL: 48, EBREAK: 49, MRET: 50, WFI: 51,
  CSRRW: 52, CSRRS: 53, CSRRC: 54, CSRRWI: 55, CSRRSI: 56, CSRRCI: 57,
} as const;

export type Op = (typeof Op)[keyof typeof Op];

/** One decoded instruction; `imm` is sign-extended, `csr` is the 12-bit CSR number. */
export interface Instruction {
  readonly op: Op;
  readonly rd: number;
  readonly rs1: number;
  readonly rs2: number;
  readonly imm: number;
  readonly csr: number;
  readonly word: number;
}

const BRANCHES: ReadonlySet<Op> = new Set([Op.BEQ, Op.BNE, Op.BLT, Op.BGE, Op.BLTU, Op.BGEU]);
const LOADS: ReadonlySet<Op> = new Set([Op.LB, Op.LH, Op.LW, Op.LBU, Op.LHU]);
const STORES: ReadonlySet<Op> = new Set([Op.SB, Op.SH, Op.SW]);
const CSR_OPS: ReadonlySet<Op> = new Set([Op.CSRRW, Op.CSRRS, Op.CSRRC, Op.CSRRWI, Op.CSRRSI, Op.CSRRCI]);

export const isBranch = (op: Op): boolean => BRANCHES.has(op);
export const isLoad = (op: Op): boolean => LOADS.has(op);
export const isStore = (op: Op): boolean => STORES.has(op);
export const isCsrOp = (op: Op): boolean => CSR_OPS.has(op);

/** True for instructions after which a compiled block must end. */
export function endsBlock(op: Op): boolean {
  return op === Op.JAL || op === Op.JALR || op === Op.ILLEGAL || op === Op.ECALL || op === Op.EBREAK
    || op === Op.MRET || op === Op.WFI || op === Op.FENCE_I || isCsrOp(op);
}

/** True when the instruction writes `rd`. */
export function writesRd(op: Op): boolean {
  return !(isBranch(op) || isStore(op) || op === Op.ILLEGAL || op === Op.FENCE || op === Op.FENCE_I
    || op === Op.ECALL || op === Op.EBREAK || op === Op.MRET || op === Op.WFI);
}
