/** Code generation for RV32I/M register and immediate arithmetic, LUI and AUIPC. */
import { Op } from './instruction.js';
import { lit, reg, setReg, type EmitSite } from './emit-site.js';

type Binary = (a: string, b: string) => string;

const REG_REG: Partial<Record<Op, Binary>> = {
  [Op.ADD]: (a, b) => `(${a} + ${b}) | 0`,
  [Op.SUB]: (a, b) => `(${a} - ${b}) | 0`,
  [Op.SLL]: (a, b) => `${a} << (${b} & 31)`,
  [Op.SLT]: (a, b) => `${a} < ${b} ? 1 : 0`,
  [Op.SLTU]: (a, b) => `(${a} >>> 0) < (${b} >>> 0) ? 1 : 0`,
  [Op.XOR]: (a, b) => `${a} ^ ${b}`,
  [Op.SRL]: (a, b) => `(${a} >>> (${b} & 31)) | 0`,
  [Op.SRA]: (a, b) => `${a} >> (${b} & 31)`,
  [Op.OR]: (a, b) => `${a} | ${b}`,
  [Op.AND]: (a, b) => `${a} & ${b}`,
  [Op.MUL]: (a, b) => `Math.imul(${a}, ${b})`,
  [Op.MULH]: (a, b) => `mulh(${a}, ${b})`,
  [Op.MULHSU]: (a, b) => `mulhsu(${a}, ${b})`,
  [Op.MULHU]: (a, b) => `mulhu(${a}, ${b})`,
  [Op.DIV]: (a, b) => `div(${a}, ${b})`,
  [Op.DIVU]: (a, b) => `divu(${a}, ${b})`,
  [Op.REM]: (a, b) => `rem(${a}, ${b})`,
  [Op.REMU]: (a, b) => `remu(${a}, ${b})`,
};

const REG_IMM: Partial<Record<Op, (a: string, imm: number) => string>> = {
  [Op.ADDI]: (a, i) => (i === 0 ? a : `(${a} + ${lit(i)}) | 0`),
  [Op.SLTI]: (a, i) => `${a} < ${lit(i)} ? 1 : 0`,
  [Op.SLTIU]: (a, i) => `(${a} >>> 0) < ${i >>> 0} ? 1 : 0`,
  [Op.XORI]: (a, i) => `${a} ^ ${lit(i)}`,
  [Op.ORI]: (a, i) => `${a} | ${lit(i)}`,
  [Op.ANDI]: (a, i) => `${a} & ${lit(i)}`,
  [Op.SLLI]: (a, i) => `${a} << ${i}`,
  [Op.SRLI]: (a, i) => `(${a} >>> ${i}) | 0`,
  [Op.SRAI]: (a, i) => `${a} >> ${i}`,
};

/** JS for an arithmetic instruction, or undefined when `s.inst` is not one. */
export function emitAlu(s: EmitSite): string | undefined {
  const { op, rd, rs1, rs2, imm } = s.inst;
  if (op === Op.LUI) return setReg(rd, lit(imm));
  if (op === Op.AUIPC) return setReg(rd, lit(s.pc + imm));
  const rr = REG_REG[op];
  if (rr !== undefined) return setReg(rd, rr(reg(rs1), reg(rs2)));
  const ri = REG_IMM[op];
  return ri === undefined ? undefined : setReg(rd, ri(reg(rs1), imm));
}
