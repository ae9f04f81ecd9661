/** Code generation for branches, JAL and JALR. */
import { Op } from './instruction.js';
import { lit, raise, reg, setReg, type EmitSite } from './emit-site.js';
import { TrapCause } from './trap-cause.js';

type Condition = (a: string, b: string) => string;

const CONDITIONS: Partial<Record<Op, Condition>> = {
  [Op.BEQ]: (a, b) => `${a} === ${b}`,
  [Op.BNE]: (a, b) => `${a} !== ${b}`,
  [Op.BLT]: (a, b) => `${a} < ${b}`,
  [Op.BGE]: (a, b) => `${a} >= ${b}`,
  [Op.BLTU]: (a, b) => `(${a} >>> 0) < (${b} >>> 0)`,
  [Op.BGEU]: (a, b) => `(${a} >>> 0) >= (${b} >>> 0)`,
};

const misaligned = (s: EmitSite, target: string): string =>
  raise(s, TrapCause.INSTRUCTION_ADDRESS_MISALIGNED, target);

function emitBranch(s: EmitSite, cond: Condition): string {
  const target = (s.pc + s.inst.imm) | 0;
  const taken = (target & 3) !== 0 ? misaligned(s, lit(target)) : `{ ${s.jumpTo(target)} }`;
  return `if (${cond(reg(s.inst.rs1), reg(s.inst.rs2))}) ${taken}`;
}

function emitJal(s: EmitSite): string {
  const target = (s.pc + s.inst.imm) | 0;
  if ((target & 3) !== 0) return misaligned(s, lit(target));
  return `${setReg(s.inst.rd, lit(s.pc + 4))} ${s.jumpTo(target)}`;
}

function emitJalr(s: EmitSite): string {
  const { rs1, rd, imm } = s.inst;
  return `a = ((${reg(rs1)} + ${lit(imm)}) | 0) & -2; if ((a & 3) !== 0) ${misaligned(s, 'a')} `
    + `${setReg(rd, lit(s.pc + 4))} ${s.writeBack} c.pc = a; return ${s.through};`;
}

/** JS for a control-transfer instruction, or undefined when `s.inst` is not one. */
export function emitControl(s: EmitSite): string | undefined {
  if (s.inst.op === Op.JAL) return emitJal(s);
  if (s.inst.op === Op.JALR) return emitJalr(s);
  const cond = CONDITIONS[s.inst.op];
  return cond === undefined ? undefined : emitBranch(s, cond);
}
