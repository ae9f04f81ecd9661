/** Code generation for FENCE, FENCE.I, ECALL, EBREAK, WFI, MRET, CSR access and illegal instructions. */
import { Op, isCsrOp } from './instruction.js';
import { BlockEvent } from './block-event.js';
import { lit, raise, reg, setReg, type EmitSite } from './emit-site.js';
import { TrapCause } from './trap-cause.js';

/** Ends the block after this instruction retired, continuing at the next pc. */
const next = (s: EmitSite, effect: string): string =>
  `${s.writeBack} ${effect} c.pc = ${lit(s.pc + 4)}; return ${s.through};`;

function emitCsr(s: EmitSite): string {
  const { op, rd, rs1, word } = s.inst;
  const source = op >= Op.CSRRWI ? String(rs1) : reg(rs1);
  return `v = c.csrOp(${word}, ${source}, ${lit(s.pc)}, ${s.before}); `
    + `if (c.event === ${BlockEvent.EXCEPTION}) { ${s.writeBack} return ${s.before}; } `
    + `${setReg(rd, 'v')} ${next(s, '')}`;
}

const SYSTEM: Partial<Record<Op, (s: EmitSite) => string>> = {
  [Op.FENCE]: () => '',
  [Op.FENCE_I]: (s) => next(s, 'c.fenceI();'),
  [Op.ECALL]: (s) => `${s.writeBack} c.pc = ${lit(s.pc)}; c.event = ${BlockEvent.ECALL}; return ${s.before};`,
  [Op.EBREAK]: (s) => raise(s, TrapCause.BREAKPOINT, lit(s.pc)),
  [Op.WFI]: (s) => next(s, `c.event = ${BlockEvent.WFI};`),
  [Op.MRET]: (s) => `${s.writeBack} c.mret(); return ${s.through};`,
  [Op.ILLEGAL]: (s) => raise(s, TrapCause.ILLEGAL_INSTRUCTION, lit(s.inst.word)),
};

/** JS for a system instruction, or undefined when `s.inst` is not one. */
export function emitSystem(s: EmitSite): string | undefined {
  if (isCsrOp(s.inst.op)) return emitCsr(s);
  return SYSTEM[s.inst.op]?.(s);
}
