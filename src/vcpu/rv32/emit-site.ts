/** What the code generator knows about one instruction's place in a compiled block. */
import type { Instruction } from './instruction.js';

export interface EmitSite {
  readonly inst: Instruction;
  /** Guest pc (int32). */
  readonly pc: number;
  /** JS expression: instructions retired in this block before this one. */
  readonly before: string;
  /** JS expression: instructions retired in this block including this one. */
  readonly through: string;
  /** JS statements storing the block's register locals back to `x`. */
  readonly writeBack: string;
  /** JS statements continuing at guest pc `target` after this instruction retired. */
  jumpTo(target: number): string;
  /** Checks on a RAM offset `o` that select the aligned fast path for a 1/2/4-byte access. */
  readonly inRam: Readonly<Record<1 | 2 | 4, (o: string) => string>>;
}

/** JS expression reading guest register `i` (x0 reads 0). */
export const reg = (i: number): string => (i === 0 ? '0' : `r${i}`);

/** JS statement setting guest register `i` (writes to x0 are dropped). */
export const setReg = (i: number, expr: string): string => (i === 0 ? '' : `r${i} = ${expr};`);

/** A JS int32 literal. */
export const lit = (v: number): string => String(v | 0);

/** Leaves the block raising exception `cause` with `tval` at this instruction. */
export const raise = (s: EmitSite, cause: number, tval: string): string =>
  `{ ${s.writeBack} c.raise(${cause}, ${lit(s.pc)}, ${tval}); return ${s.before}; }`;
