/** Disassembler from a decoded instruction to GNU-style assembly text (for --trace). */
import { Op, isBranch, isCsrOp, isLoad, isStore, type Instruction } from './instruction.js';
import { csrName } from './csr-numbers.js';

const ABI = ['zero', 'ra', 'sp', 'gp', 'tp', 't0', 't1', 't2', 's0', 's1', 'a0', 'a1', 'a2', 'a3', 'a4', 'a5',
  'a6', 'a7', 's2', 's3', 's4', 's5', 's6', 's7', 's8', 's9', 's10', 's11', 't3', 't4', 't5', 't6'];

/** The ABI name of integer register `i`. */
export const regName = (i: number): string => ABI[i];

const MNEMONIC: Record<number, string> = Object.fromEntries(
  Object.entries(Op).map(([name, code]) => [code, name.toLowerCase().replace('_', '.')]),
);

const hex = (v: number): string => '0x' + (v >>> 0).toString(16);

function operands(i: Instruction, pc: number): string {
  const rd = regName(i.rd), rs1 = regName(i.rs1), rs2 = regName(i.rs2);
  if (i.op === Op.LUI || i.op === Op.AUIPC) return `${rd}, ${hex(i.imm >>> 12)}`;
  if (i.op === Op.JAL) return `${rd}, ${hex(pc + i.imm)}`;
  if (i.op === Op.JALR || isLoad(i.op)) return `${rd}, ${i.imm}(${rs1})`;
  if (isStore(i.op)) return `${rs2}, ${i.imm}(${rs1})`;
  if (isBranch(i.op)) return `${rs1}, ${rs2}, ${hex(pc + i.imm)}`;
  if (isCsrOp(i.op)) return `${rd}, ${csrName(i.csr)}, ${i.op >= Op.CSRRWI ? i.imm : rs1}`;
  if (i.op >= Op.ADDI && i.op <= Op.SRAI) return `${rd}, ${rs1}, ${i.imm}`;
  if (i.op >= Op.ADD && i.op <= Op.REMU) return `${rd}, ${rs1}, ${rs2}`;
  return '';
}

/** Disassembles `inst` located at `pc`, e.g. `addi a0, a0, 1`. */
export function disassemble(inst: Instruction, pc: number): string {
  if (inst.op === Op.ILLEGAL) return `.word ${hex(inst.word)}`;
  const ops = operands(inst, pc);
  return ops === '' ? MNEMONIC[inst.op] : `${MNEMONIC[inst.op]} ${ops}`;
}
