/** Seeded generator of random RV32IM programs, packed many per ELF, each ending in a dump through write. */
import { RAM_BASE } from '../../../../src/vcpu/memory-layout.js';
import { BRANCH_OPS, IMM_OPS, LOAD_OPS, REG_OPS, SHIFT_OPS, STORE_OPS, enc, li } from '../../../../src/vcpu/rv32/encode.js';
import { writeElf32, wordsToBytes } from '../../../../src/vcpu/elf/elf-writer.js';
import { SeededRandom } from '../../../../src/guest-kernel/seeded-random.js';

/** x31 points into the data frame: scratch at [x31-256, x31), register dump at [x31, x31+128). */
const BASE = 31, LOOP = 30, FREE = 29;
const DATA = RAM_BASE + 0x0040_0000 + 256;
const SCRATCH = 256;
/** Bytes each program writes to stdout. */
export const DUMP_BYTES = SCRATCH + 128;

const EDGE = [0, 1, -1, 2, 0x7fffffff, -0x80000000, -0x7fffffff, 0xffff, 0x8000, -0x8000, 31, 32, 0x55555555, -0x55555556];

class Gen {
  readonly code: number[] = [];
  constructor(readonly rnd: SeededRandom) {}
  int(n: number): number { return this.rnd.next() % n; }
  pick<T>(xs: readonly T[]): T { return xs[this.int(xs.length)]; }
  reg(): number { return 1 + this.int(FREE); }
  src(): number { return this.int(8) === 0 ? 0 : this.reg(); }
  value(): number { return this.int(3) === 0 ? this.rnd.next() | 0 : this.pick(EDGE) | 0; }
  imm12(): number { return this.int(3) === 0 ? this.pick([0, 1, -1, 2047, -2048]) : ((this.rnd.next() << 20) >> 20); }
  upper(): number { return (this.int(4) === 0 ? this.pick([0, 0x80000000, 0xfffff000, 0x7ffff000]) : this.value()) & 0xfffff000; }
  emit(...ws: number[]): void { this.code.push(...ws); }
}

function aluOp(g: Gen): number {
  switch (g.int(5)) {
    case 0: case 1: return enc.reg(g.pick(REG_OPS), g.reg(), g.src(), g.src());
    case 2: return enc.imm(g.pick(IMM_OPS), g.reg(), g.src(), g.imm12());
    case 3: return enc.shift(g.pick(SHIFT_OPS), g.reg(), g.src(), g.int(32));
    default: return g.int(2) === 0 ? enc.lui(g.reg(), g.upper()) : enc.auipc(g.reg(), g.upper());
  }
}

const SIZES: Record<string, number> = { lb: 1, lbu: 1, sb: 1, lh: 2, lhu: 2, sh: 2, lw: 4, sw: 4 };

function memoryOp(g: Gen): void {
  const load = g.int(2) === 0;
  const op = g.pick(load ? LOAD_OPS : STORE_OPS);
  const off = -SCRATCH + g.int(SCRATCH - SIZES[op] + 1);
  if (g.int(3) === 0) {
    const base = g.reg(), shift = g.int(64) - 32;
    g.emit(enc.imm('addi', base, BASE, off - shift));
    g.emit(load ? enc.load(op, g.reg(), base, shift) : enc.store(op, g.src(), base, shift));
  } else {
    g.emit(load ? enc.load(op, g.reg(), BASE, off) : enc.store(op, g.src(), BASE, off));
  }
}

function forwardSkip(g: Gen): void {
  const skip = 1 + g.int(4);
  const kind = g.int(4);
  if (kind === 0) g.emit(enc.jal(g.reg(), 4 * (skip + 1)));
  else if (kind === 1) { const t = g.reg(); g.emit(enc.auipc(t, 0), enc.jalr(g.reg(), t, 4 * (skip + 2) + g.int(2))); }
  else g.emit(enc.branch(g.pick(BRANCH_OPS), g.src(), g.src(), 4 * (skip + 1)));
  for (let k = 0; k < skip; k++) g.emit(aluOp(g));
}

function smallLoop(g: Gen): void {
  g.emit(enc.imm('addi', LOOP, 0, 1 + g.int(5)));
  const body = 1 + g.int(4);
  for (let k = 0; k < body; k++) g.emit(g.int(3) === 0 ? enc.load('lw', g.reg(), BASE, -4 * (1 + g.int(64))) : aluOp(g));
  g.emit(enc.imm('addi', LOOP, LOOP, -1), enc.branch('bne', LOOP, 0, -4 * (body + 1)));
}

function body(g: Gen, length: number): void {
  for (let k = 0; k < 6; k++) g.emit(...li(g.reg(), g.value()));
  while (g.code.length < length) {
    const kind = g.int(10);
    if (kind < 5) g.emit(aluOp(g));
    else if (kind < 8) memoryOp(g);
    else if (kind < 9) forwardSkip(g);
    else smallLoop(g);
  }
}

function dump(g: Gen): void {
  for (let r = 1; r <= 30; r++) g.emit(enc.store('sw', r, BASE, 4 * r));
  g.emit(...li(17, 64), ...li(10, 1), enc.imm('addi', 11, BASE, -SCRATCH), ...li(12, DUMP_BYTES), enc.ecall());
}

export interface RandomPack { readonly elf: Uint8Array; readonly programs: number; readonly starts: readonly number[] }

/** An ELF with `count` random programs run one after another, each dumping state; ends with exit_group(0). */
export function randomProgramPack(seed: number, count: number, length = 48): RandomPack {
  const rnd = new SeededRandom(seed);
  const g = new Gen(rnd);
  g.emit(...li(BASE, DATA));
  for (let r = 1; r <= LOOP; r++) g.emit(...li(r, g.value()));
  const starts: number[] = [];
  for (let p = 0; p < count; p++) {
    starts.push(g.code.length);
    const before = g.code.length;
    body(g, before + length);
    dump(g);
  }
  g.emit(...li(17, 94), ...li(10, 0), enc.ecall());
  const data = new Uint8Array(4096 + 256);
  data.set(rnd.bytes(data.length));
  const elf = writeElf32(RAM_BASE, [
    { vaddr: RAM_BASE, bytes: wordsToBytes(g.code), flags: 5 },
    { vaddr: DATA - SCRATCH, bytes: data, flags: 6 },
  ]);
  return { elf, programs: count, starts };
}
