/**
 * Where a program's pages go in its address space, decided before anything is written. As Linux
 * does, segments are mapped where they ask (plus a load bias for ET_DYN), page by page; the
 * program break starts at the page after the highest segment; the stack takes the top of the
 * memory (virtual = physical there).
 *
 * Frames: a program linked inside RAM (ET_EXEC, every page below the stack area) is placed at its
 * own guest-physical addresses, as before address spaces, and its break runs up to the stack; any
 * other program gets frames from the bottom of the memory in page order, and its break the frames
 * left below the stack. Either way every frame of the memory is used at most once.
 */
import { FRAME_SHIFT, FRAME_SIZE, RAM_BASE } from '../memory-layout.js';
import { elfError, type ElfError } from './elf-error.js';
import { ET_DYN, PF_W, type Elf32File, type ProgramHeader } from './elf32-file.js';

/** Where a static-pie (ET_DYN without interpreter) is loaded: qemu-riscv32's TASK_UNMAPPED_BASE. */
export const DYN_BASE = 0x4000_0000;

/** Bytes kept for the stack at the top of RAM: 1 MiB, or a quarter of small RAMs. */
export const stackSizeFor = (ramSize: number): number => Math.min(1 << 20, Math.floor(ramSize / 4 / FRAME_SIZE) * FRAME_SIZE);

const pageDown = (v: number): number => Math.floor(v / FRAME_SIZE) * FRAME_SIZE;
const pageUp = (v: number): number => Math.ceil(v / FRAME_SIZE) * FRAME_SIZE;
const hex = (v: number): string => '0x' + v.toString(16);

export interface ElfLayout {
  /** Added to every address of the file (0 for ET_EXEC). */
  readonly bias: number;
  /** The LOAD segments with their addresses biased, in file order. */
  readonly segments: readonly ProgramHeader[];
  /** Virtual page → frame, for every page a segment touches. */
  readonly pages: ReadonlyMap<number, number>;
  /** First address of the program break (page aligned) and the frames of its pages, in order. */
  readonly brkStart: number;
  readonly brkFrames: readonly number[];
  /** Stack area [stackBottom, stackTop), mapped at its own addresses. */
  readonly stackBottom: number;
  readonly stackTop: number;
}

function biased(elf: Elf32File, base: number): { bias: number; segments: ProgramHeader[] } | ElfError {
  const low = pageDown(Math.min(...elf.segments.map((p) => p.vaddr)));
  const bias = elf.type === ET_DYN ? base - low : 0;
  const segments = elf.segments.map((p) => ({ ...p, vaddr: p.vaddr + bias }));
  const wrap = segments.find((p) => p.vaddr + p.memsz > 0x1_0000_0000);
  if (wrap) return elfError('ELF_BAD_SEGMENT', `segment at ${hex(wrap.vaddr)} loaded at base ${hex(base)} wraps past 4 GiB`);
  return { bias, segments };
}

function checkOverlaps(segs: readonly ProgramHeader[]): ElfError | undefined {
  const sorted = [...segs].sort((a, b) => a.vaddr - b.vaddr);
  for (let i = 1; i < sorted.length; i++) {
    const prev = sorted[i - 1], p = sorted[i];
    if (prev.vaddr + prev.memsz > p.vaddr) return elfError('ELF_SEGMENTS_OVERLAP', `segments at ${hex(prev.vaddr)} and ${hex(p.vaddr)} overlap`);
  }
  return undefined;
}

/**
 * A segment whose memory size exceeds its file size, that is not writable, and whose file part
 * ends inside a page: Linux (up to 6.5) and qemu-riscv32 must zero the rest of that page, cannot,
 * and the process dies of SIGSEGV while being loaded, before its first instruction.
 */
function checkBss(segs: readonly ProgramHeader[]): ElfError | undefined {
  const bad = segs.find((p) => p.memsz > p.filesz && (p.flags & PF_W) === 0 && (p.vaddr + p.filesz) % FRAME_SIZE !== 0);
  if (!bad) return undefined;
  return elfError('ELF_BSS_NOT_WRITABLE',
    `segment at ${hex(bad.vaddr)} has ${bad.memsz - bad.filesz} bytes of bss but is not writable, and its file part ends inside a page that Linux must zero: the process is killed by SIGSEGV while loading`, 11);
}

function segmentPages(segs: readonly ProgramHeader[]): number[] {
  const vpns = new Set<number>();
  for (const p of segs) {
    for (let a = pageDown(p.vaddr); a < pageUp(p.vaddr + p.memsz); a += FRAME_SIZE) vpns.add(a / FRAME_SIZE);
  }
  return [...vpns].sort((a, b) => a - b);
}

/** Decides the layout of `elf` in a memory of `ramSize` bytes; ET_DYN files are loaded at `base`. */
export function planLayout(elf: Elf32File, ramSize: number, base = DYN_BASE): ElfLayout | ElfError {
  const b = biased(elf, base);
  if ('code' in b) return b;
  const overlap = checkOverlaps(b.segments);
  if (overlap) return overlap;
  const stackTop = RAM_BASE + ramSize, stackBottom = stackTop - stackSizeFor(ramSize);
  const usable = (stackBottom - RAM_BASE) >>> FRAME_SHIFT;
  // an upper bound first (segments share at most a page with each other), so a huge one is not walked page by page
  const bound = b.segments.reduce((n, p) => n + (pageUp(p.vaddr + p.memsz) - pageDown(p.vaddr)) / FRAME_SIZE, 0);
  const vpns = bound - b.segments.length > usable ? [] : segmentPages(b.segments);
  if (vpns.length === 0) return elfError('ELF_TOO_BIG', `the segments need ${bound * 4} KiB or more, the address space has ${usable * 4} KiB below its stack`);
  if (vpns.length > usable) return elfError('ELF_TOO_BIG', `the segments need ${vpns.length * 4} KiB, the address space has ${usable * 4} KiB below its stack`);
  const inStack = vpns.find((v) => v * FRAME_SIZE >= stackBottom && v * FRAME_SIZE < stackTop);
  if (inStack !== undefined) return elfError('ELF_SEGMENT_IN_STACK', `a segment maps ${hex(inStack * FRAME_SIZE)}, inside the stack area [${hex(stackBottom)}, ${hex(stackTop)})`);
  const bss = checkBss(b.segments);
  if (bss) return bss;
  const ramVpn = RAM_BASE >>> FRAME_SHIFT;
  const identity = elf.type !== ET_DYN && vpns[0] >= ramVpn && vpns[vpns.length - 1] < ramVpn + usable;
  const brkStart = pageUp(Math.max(...b.segments.map((p) => p.vaddr + p.memsz)));
  const pages = new Map(vpns.map((v, i) => [v, identity ? v - ramVpn : i]));
  const firstBrkFrame = identity ? (brkStart >>> FRAME_SHIFT) - ramVpn : vpns.length;
  const room = brkStart < stackBottom ? stackBottom - brkStart : 0x1_0000_0000 - brkStart;
  const count = Math.max(0, Math.min(usable - firstBrkFrame, Math.floor(room / FRAME_SIZE)));
  const brkFrames = Array.from({ length: count }, (_, k) => firstBrkFrame + k);
  return { bias: b.bias, segments: b.segments, pages, brkStart, brkFrames, stackBottom, stackTop };
}
