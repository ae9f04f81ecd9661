/** Decoder from a 32-bit RV32IM/Zicsr/Zifencei instruction word to an Instruction. */
import { Op, type Instruction } from './instruction.js';

const rdOf = (w: number): number => (w >>> 7) & 31;
const rs1Of = (w: number): number => (w >>> 15) & 31;
const rs2Of = (w: number): number => (w >>> 20) & 31;
const f3Of = (w: number): number => (w >>> 12) & 7;
const f7Of = (w: number): number => w >>> 25;

const immI = (w: number): number => w >> 20;
const immS = (w: number): number => ((w >> 25) << 5) | ((w >>> 7) & 31);
const immB = (w: number): number =>
  ((w >> 31) << 12) | (((w >>> 7) & 1) << 11) | (((w >>> 25) & 63) << 5) | (((w >>> 8) & 15) << 1);
const immU = (w: number): number => w & 0xfffff000;
const immJ = (w: number): number =>
  ((w >> 31) << 20) | (((w >>> 12) & 255) << 12) | (((w >>> 20) & 1) << 11) | (((w >>> 21) & 1023) << 1);

function make(op: Op, w: number, imm = 0): Instruction {
  return { op, rd: rdOf(w), rs1: rs1Of(w), rs2: rs2Of(w), imm, csr: w >>> 20, word: w | 0 };
}

const illegal = (w: number): Instruction => make(Op.ILLEGAL, w);

const BRANCH_OPS: readonly (Op | undefined)[] = [Op.BEQ, Op.BNE, undefined, undefined, Op.BLT, Op.BGE, Op.BLTU, Op.BGEU];
const LOAD_OPS: readonly (Op | undefined)[] = [Op.LB, Op.LH, Op.LW, undefined, Op.LBU, Op.LHU];
const STORE_OPS: readonly (Op | undefined)[] = [Op.SB, Op.SH, Op.SW];
const IMM_OPS: readonly Op[] = [Op.ADDI, Op.SLLI, Op.SLTI, Op.SLTIU, Op.XORI, Op.SRLI, Op.ORI, Op.ANDI];
const REG_OPS: readonly Op[] = [Op.ADD, Op.SLL, Op.SLT, Op.SLTU, Op.XOR, Op.SRL, Op.OR, Op.AND];
const MUL_OPS: readonly Op[] = [Op.MUL, Op.MULH, Op.MULHSU, Op.MULHU, Op.DIV, Op.DIVU, Op.REM, Op.REMU];
const CSR_OPS: readonly (Op | undefined)[] = [undefined, Op.CSRRW, Op.CSRRS, Op.CSRRC, undefined, Op.CSRRWI, Op.CSRRSI, Op.CSRRCI];

function fromTable(table: readonly (Op | undefined)[], w: number, imm: number): Instruction {
  const op = table[f3Of(w)];
  return op === undefined ? illegal(w) : make(op, w, imm);
}

function decodeOpImm(w: number): Instruction {
  const f3 = f3Of(w);
  if (f3 === 1) return f7Of(w) === 0 ? make(Op.SLLI, w, rs2Of(w)) : illegal(w);
  if (f3 === 5) {
    if (f7Of(w) === 0) return make(Op.SRLI, w, rs2Of(w));
    return f7Of(w) === 0x20 ? make(Op.SRAI, w, rs2Of(w)) : illegal(w);
  }
  return make(IMM_OPS[f3], w, immI(w));
}

function decodeOp(w: number): Instruction {
  const f3 = f3Of(w);
  const f7 = f7Of(w);
  if (f7 === 0) return make(REG_OPS[f3], w);
  if (f7 === 1) return make(MUL_OPS[f3], w);
  if (f7 === 0x20 && f3 === 0) return make(Op.SUB, w);
  if (f7 === 0x20 && f3 === 5) return make(Op.SRA, w);
  return illegal(w);
}

const SYSTEM_WORDS: ReadonlyMap<number, Op> = new Map<number, Op>([
  [0x00000073, Op.ECALL], [0x00100073, Op.EBREAK], [0x30200073, Op.MRET], [0x10500073, Op.WFI],
]);

function decodeSystem(w: number): Instruction {
  if (f3Of(w) === 0) {
    const op = SYSTEM_WORDS.get(w >>> 0);
    return op === undefined ? illegal(w) : make(op, w);
  }
  return fromTable(CSR_OPS, w, rs1Of(w));
}

function decodeMiscMem(w: number): Instruction {
  const f3 = f3Of(w);
  if (f3 === 0) return make(Op.FENCE, w);
  return f3 === 1 ? make(Op.FENCE_I, w) : illegal(w);
}

/** Decodes one instruction word; anything not in RV32IM/Zicsr/Zifencei is Op.ILLEGAL. */
export function decode(word: number): Instruction {
  const w = word >>> 0;
  switch (w & 0x7f) {
    case 0x37: return make(Op.LUI, w, immU(w));
    case 0x17: return make(Op.AUIPC, w, immU(w));
    case 0x6f: return make(Op.JAL, w, immJ(w));
    case 0x67: return f3Of(w) === 0 ? make(Op.JALR, w, immI(w)) : illegal(w);
    case 0x63: return fromTable(BRANCH_OPS, w, immB(w));
    case 0x03: return fromTable(LOAD_OPS, w, immI(w));
    case 0x23: return fromTable(STORE_OPS, w, immS(w));
    case 0x13: return decodeOpImm(w);
    case 0x33: return decodeOp(w);
    case 0x0f: return decodeMiscMem(w);
    case 0x73: return decodeSystem(w);
    default: return illegal(w);
  }
}
