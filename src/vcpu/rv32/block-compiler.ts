/** Translates a region of guest code into one JavaScript function (loops inside it become JS loops). */
import type { AddressSpace } from '../address-space.js';
import type { BlockFn } from '../code-cache.js';
import { endsBlock, writesRd, type Instruction } from './instruction.js';
import { emitAlu } from './emit-alu.js';
import { emitControl } from './emit-control.js';
import { emitMemory } from './emit-memory.js';
import { emitSystem } from './emit-system.js';
import { lit, type EmitSite } from './emit-site.js';
import { indexOf, scanRegion, MAX_REGION, type Region } from './region.js';
import { div, divu, mulh, mulhsu, mulhu, rem, remu } from './mul-div.js';

/** Where each instruction sits: its segment (run between labels) and position in it. */
interface Layout { segStart: number[]; segLen: number[] }

function layoutOf(region: Region): Layout {
  const n = region.insts.length;
  const starts = [...region.labels, n];
  const segStart: number[] = [];
  const segLen: number[] = [];
  for (let k = 0; k + 1 < starts.length; k++) {
    for (let i = starts[k]; i < starts[k + 1]; i++) { segStart.push(starts[k]); segLen.push(starts[k + 1] - starts[k]); }
  }
  return { segStart, segLen };
}

const minus = (d: number): string => (d === 0 ? 'n' : `n - ${d}`);

function registersOf(insts: readonly Instruction[]): { used: number[]; written: number[] } {
  const used = new Set<number>();
  const written = new Set<number>();
  for (const i of insts) {
    used.add(i.rs1); used.add(i.rs2);
    if (writesRd(i.op)) { used.add(i.rd); written.add(i.rd); }
  }
  used.delete(0); written.delete(0);
  return { used: [...used].sort((a, b) => a - b), written: [...written].sort((a, b) => a - b) };
}

function inRamChecks(size: number): EmitSite['inRam'] {
  const pow2 = (size & (size - 1)) === 0;
  const check = (align: number) => (o: string): string =>
    pow2 ? `(${o} & ${(~(size - 1) | (align - 1)) | 0}) === 0`
      : `(${o} & ${align - 1}) === 0 && ${o} >= 0 && ${o} < ${size}`;
  return { 1: check(1), 2: check(2), 4: check(4) };
}

function emitInstruction(s: EmitSite): string {
  const code = emitAlu(s) ?? emitMemory(s) ?? emitControl(s) ?? emitSystem(s);
  if (code === undefined) throw new Error(`no code generator for op ${s.inst.op}`);
  return code;
}

function emitBody(region: Region, ramSize: number, looping: boolean): string {
  const { insts, labels, entry } = region;
  const { segStart, segLen } = layoutOf(region);
  const { written } = registersOf(insts);
  const writeBack = written.map((r) => `x[${r}] = r${r};`).join(' ');
  const inRam = inRamChecks(ramSize);
  const out: string[] = [];
  insts.forEach((inst, i) => {
    const pc = (entry + i * 4) | 0;
    const after = segStart[i] + segLen[i] - i - 1;
    if (segStart[i] === i) out.push(segmentEntry(labels.indexOf(i), segLen[i], pc, writeBack, looping));
    const jumpTo = (target: number): string => {
      const k = labels.indexOf(indexOf(entry, insts.length, target));
      const adjust = after === 0 ? '' : `n -= ${after};`;
      return k >= 0 && looping ? `${adjust} L = ${k}; continue;` : `${writeBack} c.pc = ${lit(target)}; return ${minus(after)};`;
    };
    out.push(emitInstruction({ inst, pc, before: minus(after + 1), through: minus(after), writeBack, jumpTo, inRam }));
  });
  if (!endsBlock(insts[insts.length - 1].op)) out.push(`${writeBack} c.pc = ${lit(entry + insts.length * 4)}; return n;`);
  return out.join('\n');
}

function segmentEntry(label: number, len: number, pc: number, writeBack: string, looping: boolean): string {
  const head = looping ? `case ${label}: ` : '';
  return `${head}if (n + ${len} > lim) { ${writeBack} c.pc = ${lit(pc)}; return n; } n += ${len};`;
}

/** JS source of the block function for `region` (over RAM of `ramSize` bytes). */
export function blockSource(region: Region, ramSize: number): string {
  const looping = region.labels.length > 1;
  const { used } = registersOf(region.insts);
  const locals = used.map((r) => `r${r} = x[${r}]`).join(', ');
  const body = emitBody(region, ramSize, looping);
  return `return function block_${(region.entry >>> 0).toString(16)}(x, c, lim) {\n`
    + `let n = 0, L = 0, a = 0, o = 0, v = 0${locals === '' ? '' : ', ' + locals};\n`
    + (looping ? `for (;;) switch (L) {\n${body}\n}\n` : `${body}\n`)
    + '};';
}

/**
 * Compiles the block entered at virtual pc `pc` (aligned) of address space `space`, whose code is
 * at RAM offset `offset`; the block reads that space's fast-path keys (`kl`, `ks`).
 */
export function compileBlock<Ctx>(space: AddressSpace, offset: number, pc: number): BlockFn<Ctx> {
  const memory = space.memory;
  const region = scanRegion(pc | 0, offset, memory.i32, MAX_REGION);
  const factory = new Function('i8', 'u8', 'i16', 'u16', 'i32', 'kl', 'ks', 'mulh', 'mulhsu', 'mulhu', 'div', 'divu', 'rem', 'remu',
    blockSource(region, memory.size)) as (...args: unknown[]) => BlockFn<Ctx>;
  return factory(memory.i8, memory.u8, memory.i16, memory.u16, memory.i32, space.loadKey, space.storeKey,
    mulh, mulhsu, mulhu, div, divu, rem, remu);
}
