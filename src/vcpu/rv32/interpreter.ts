/** The reference interpreter: executes one decoded instruction (cold code, single steps and tracing). */
import type { Vcpu } from '../vcpu.js';
import { Op, type Instruction } from './instruction.js';
import { BlockEvent } from './block-event.js';
import { div, divu, mulh, mulhsu, mulhu, rem, remu } from './mul-div.js';
import { TrapCause } from './trap-cause.js';

/** Value of a register-register or register-immediate arithmetic instruction, or undefined. */
function arithmetic(op: Op, a: number, b: number, imm: number): number | undefined {
  switch (op) {
    case Op.ADD: return (a + b) | 0;
    case Op.SUB: return (a - b) | 0;
    case Op.SLL: return a << (b & 31);
    case Op.SLT: return a < b ? 1 : 0;
    case Op.SLTU: return a >>> 0 < b >>> 0 ? 1 : 0;
    case Op.XOR: return a ^ b;
    case Op.SRL: return (a >>> (b & 31)) | 0;
    case Op.SRA: return a >> (b & 31);
    case Op.OR: return a | b;
    case Op.AND: return a & b;
    case Op.MUL: return Math.imul(a, b);
    case Op.MULH: return mulh(a, b);
    case Op.MULHSU: return mulhsu(a, b);
    case Op.MULHU: return mulhu(a, b);
    case Op.DIV: return div(a, b);
    case Op.DIVU: return divu(a, b);
    case Op.REM: return rem(a, b);
    case Op.REMU: return remu(a, b);
    case Op.ADDI: return (a + imm) | 0;
    case Op.SLTI: return a < imm ? 1 : 0;
    case Op.SLTIU: return a >>> 0 < imm >>> 0 ? 1 : 0;
    case Op.XORI: return a ^ imm;
    case Op.ORI: return a | imm;
    case Op.ANDI: return a & imm;
    case Op.SLLI: return a << imm;
    case Op.SRLI: return (a >>> imm) | 0;
    case Op.SRAI: return a >> imm;
    default: return undefined;
  }
}

function taken(op: Op, a: number, b: number): boolean {
  switch (op) {
    case Op.BEQ: return a === b;
    case Op.BNE: return a !== b;
    case Op.BLT: return a < b;
    case Op.BGE: return a >= b;
    case Op.BLTU: return a >>> 0 < b >>> 0;
    default: return a >>> 0 >= b >>> 0;
  }
}

const LOAD_SHAPE: Partial<Record<Op, [1 | 2 | 4, number]>> = {
  [Op.LB]: [1, 1], [Op.LH]: [2, 1], [Op.LW]: [4, 1], [Op.LBU]: [1, 0], [Op.LHU]: [2, 0],
};
const STORE_SIZE: Partial<Record<Op, 1 | 2 | 4>> = { [Op.SB]: 1, [Op.SH]: 2, [Op.SW]: 4 };

function set(c: Vcpu, rd: number, v: number): void {
  if (rd !== 0) c.x[rd] = v;
}

/** Jumps to `target`, or raises a misaligned-target exception; returns instructions retired. */
function jump(c: Vcpu, pc: number, target: number, rd: number): number {
  if ((target & 3) !== 0) { c.raise(TrapCause.INSTRUCTION_ADDRESS_MISALIGNED, pc, target); return 0; }
  set(c, rd, (pc + 4) | 0);
  c.pc = target;
  return 1;
}

function memory(c: Vcpu, i: Instruction, pc: number): number | undefined {
  const load = LOAD_SHAPE[i.op];
  const size = STORE_SIZE[i.op];
  if (load === undefined && size === undefined) return undefined;
  const addr = (c.x[i.rs1] + i.imm) | 0;
  if (load !== undefined) {
    const v = c.ld(addr, load[0], load[1]);
    if (c.event !== 0) { c.pc = pc; return 0; }
    set(c, i.rd, v);
  } else if (size !== undefined && c.st(addr, size, c.x[i.rs2]) !== 0 && c.event !== 0) {
    c.pc = pc;
    return 0;
  }
  c.pc = (pc + 4) | 0;
  return 1;
}

function system(c: Vcpu, i: Instruction, pc: number, before: number): number {
  const next = (): number => { c.pc = (pc + 4) | 0; return 1; };
  switch (i.op) {
    case Op.FENCE: return next();
    case Op.FENCE_I: c.fenceI(); return next();
    case Op.ECALL: c.pc = pc; c.event = BlockEvent.ECALL; return 0;
    case Op.EBREAK: c.raise(TrapCause.BREAKPOINT, pc, pc); return 0;
    case Op.WFI: c.event = BlockEvent.WFI; return next();
    case Op.MRET: c.mret(); return 1;
    case Op.ILLEGAL: c.raise(TrapCause.ILLEGAL_INSTRUCTION, pc, i.word); return 0;
    default: {
      const v = c.csrOp(i.word, i.op >= Op.CSRRWI ? i.rs1 : c.x[i.rs1], pc, before);
      if (c.event === BlockEvent.EXCEPTION) return 0;
      set(c, i.rd, v);
      return next();
    }
  }
}

/**
 * Executes `i` at `pc` on `c` (with `before` instructions already retired in this run step);
 * returns 1 when it retired, 0 when it raised an exception or stopped at an ECALL.
 */
export function execute(c: Vcpu, i: Instruction, pc: number, before: number): number {
  const a = c.x[i.rs1], b = c.x[i.rs2];
  const v = arithmetic(i.op, a, b, i.imm);
  if (v !== undefined) { set(c, i.rd, v); c.pc = (pc + 4) | 0; return 1; }
  switch (i.op) {
    case Op.LUI: set(c, i.rd, i.imm); c.pc = (pc + 4) | 0; return 1;
    case Op.AUIPC: set(c, i.rd, (pc + i.imm) | 0); c.pc = (pc + 4) | 0; return 1;
    case Op.JAL: return jump(c, pc, (pc + i.imm) | 0, i.rd);
    case Op.JALR: return jump(c, pc, ((a + i.imm) | 0) & -2, i.rd);
    case Op.BEQ: case Op.BNE: case Op.BLT: case Op.BGE: case Op.BLTU: case Op.BGEU:
      if (taken(i.op, a, b)) return jump(c, pc, (pc + i.imm) | 0, 0);
      c.pc = (pc + 4) | 0;
      return 1;
    default: return memory(c, i, pc) ?? system(c, i, pc, before);
  }
}
