/**
 * Code generation for loads and stores. The fast path reads the page's key from the address
 * space's load or store keys (one table read, address-space.ts): `o = addr ^ key` is the RAM
 * offset when the page allows the access on the fast path, and lands outside RAM otherwise, so
 * one test of `o` covers "allowed", "in RAM" and alignment. Misses go through the vCPU's slow path.
 */
import { Op } from './instruction.js';
import { lit, reg, setReg, type EmitSite } from './emit-site.js';

interface Access { size: 1 | 2 | 4; view: string; shift: number; signed: boolean }

const LOADS: Partial<Record<Op, Access>> = {
  [Op.LB]: { size: 1, view: 'i8', shift: 0, signed: true },
  [Op.LBU]: { size: 1, view: 'u8', shift: 0, signed: false },
  [Op.LH]: { size: 2, view: 'i16', shift: 1, signed: true },
  [Op.LHU]: { size: 2, view: 'u16', shift: 1, signed: false },
  [Op.LW]: { size: 4, view: 'i32', shift: 2, signed: true },
};

const STORES: Partial<Record<Op, Access>> = {
  [Op.SB]: { size: 1, view: 'u8', shift: 0, signed: false },
  [Op.SH]: { size: 2, view: 'u16', shift: 1, signed: false },
  [Op.SW]: { size: 4, view: 'i32', shift: 2, signed: false },
};

const address = (s: EmitSite, keys: 'kl' | 'ks'): string =>
  `a = ${s.inst.imm === 0 ? reg(s.inst.rs1) : `(${reg(s.inst.rs1)} + ${lit(s.inst.imm)}) | 0`}; o = a ^ ${keys}[a >>> 12];`;

const index = (acc: Access): string => (acc.shift === 0 ? 'o' : `o >> ${acc.shift}`);

function emitLoad(s: EmitSite, acc: Access): string {
  const fast = s.inst.rd === 0 ? '' : setReg(s.inst.rd, `${acc.view}[${index(acc)}]`);
  const slow = `v = c.ld(a, ${acc.size}, ${acc.signed ? 1 : 0}); `
    + `if (c.event !== 0) { ${s.writeBack} c.pc = ${lit(s.pc)}; return ${s.before}; } ${setReg(s.inst.rd, 'v')}`;
  return `${address(s, 'kl')} if (${s.inRam[acc.size]('o')}) { ${fast} } else { ${slow} }`;
}

function emitStore(s: EmitSite, acc: Access): string {
  const value = reg(s.inst.rs2);
  const fast = `${acc.view}[${index(acc)}] = ${value};`;
  const slow = `if (c.st(a, ${acc.size}, ${value}) !== 0) { ${s.writeBack} return c.afterStore(${lit(s.pc)}, ${s.before}); }`;
  return `${address(s, 'ks')} if (${s.inRam[acc.size]('o')}) { ${fast} } else { ${slow} }`;
}

/** JS for a load or store, or undefined when `s.inst` is neither. */
export function emitMemory(s: EmitSite): string | undefined {
  const load = LOADS[s.inst.op];
  if (load !== undefined) return emitLoad(s, load);
  const store = STORES[s.inst.op];
  return store === undefined ? undefined : emitStore(s, store);
}
