/** A region of guest code to compile: straight-line instructions from an entry pc within one frame. */
import { decode } from './decode.js';
import { Op, endsBlock, isBranch, type Instruction } from './instruction.js';
import { FRAME_SIZE } from '../memory-layout.js';

/** Longest region compiled as one block. */
export const MAX_REGION = 256;

export interface Region {
  /** Guest pc (int32) of the first instruction. */
  readonly entry: number;
  readonly insts: readonly Instruction[];
  /** Indexes of instructions that branches inside the region jump to (always includes 0). */
  readonly labels: readonly number[];
}

/** The instructions of a region from RAM offset `offset`; `words` reads an aligned RAM word. */
export function scanRegion(entry: number, offset: number, words: Int32Array, max: number): Region {
  const insts: Instruction[] = [];
  const frameEnd = (offset & ~(FRAME_SIZE - 1)) + FRAME_SIZE;
  for (let off = offset; off < frameEnd && insts.length < max; off += 4) {
    const inst = decode(words[off >>> 2]);
    insts.push(inst);
    if (endsBlock(inst.op)) break;
  }
  return { entry, insts, labels: labelsOf(entry, insts) };
}

/** Index of the instruction at `target` inside the region, or -1. */
export function indexOf(entry: number, count: number, target: number): number {
  const delta = (target - entry) | 0;
  return delta >= 0 && (delta & 3) === 0 && delta >>> 2 < count ? delta >>> 2 : -1;
}

function labelsOf(entry: number, insts: readonly Instruction[]): number[] {
  const labels = new Set<number>([0]);
  insts.forEach((inst, i) => {
    if (!isBranch(inst.op) && inst.op !== Op.JAL) return;
    const target = indexOf(entry, insts.length, (entry + i * 4 + inst.imm) | 0);
    if (target >= 0) labels.add(target);
  });
  return [...labels].sort((a, b) => a - b);
}
