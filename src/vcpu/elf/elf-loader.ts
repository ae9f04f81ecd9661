/** Loads a static RISC-V ELF32 executable into guest memory with a Linux-style initial stack. */
import type { GuestMemory } from '../guest-memory.js';
import { FRAME_SIZE, RAM_BASE } from '../memory-layout.js';
import { elfError, type ElfError } from './elf-error.js';
import { PF_X, parseElf32, type Elf32File, type ProgramHeader } from './elf32-file.js';
import { buildInitialStack } from './initial-stack.js';

export interface LoadOptions {
  readonly argv: readonly string[];
  readonly envp?: readonly string[];
  /** 16 bytes for AT_RANDOM (from the VM's seeded generator). */
  readonly random?: Uint8Array;
}

export interface LoadedProgram {
  readonly entry: number;
  /** Initial stack pointer (16-byte aligned, pointing at argc). */
  readonly sp: number;
  /** First address past the loaded image, page aligned: the initial program break. */
  readonly brkStart: number;
  /** Highest address the program break may reach (the bottom of the stack area). */
  readonly brkLimit: number;
  /** Stack area [stackBottom, stackTop). */
  readonly stackBottom: number;
  readonly stackTop: number;
}

/** Bytes kept for the stack at the top of RAM: 1 MiB, or a quarter of small RAMs. */
export const stackSizeFor = (ramSize: number): number => Math.min(1 << 20, Math.floor(ramSize / 4 / FRAME_SIZE) * FRAME_SIZE);

const pageUp = (v: number): number => Math.ceil(v / FRAME_SIZE) * FRAME_SIZE;

function checkPlacement(segs: readonly ProgramHeader[], lo: number, hi: number): ElfError | undefined {
  const sorted = [...segs].sort((a, b) => a.vaddr - b.vaddr);
  for (const [i, p] of sorted.entries()) {
    if (p.vaddr < lo || p.vaddr + p.memsz > hi) {
      return elfError('ELF_SEGMENT_OUT_OF_RAM', `segment at 0x${p.vaddr.toString(16)}+0x${p.memsz.toString(16)} is outside RAM below the stack [0x${lo.toString(16)}, 0x${hi.toString(16)})`);
    }
    const prev = sorted[i - 1];
    if (prev !== undefined && prev.vaddr + prev.memsz > p.vaddr) {
      return elfError('ELF_SEGMENTS_OVERLAP', `segments at 0x${prev.vaddr.toString(16)} and 0x${p.vaddr.toString(16)} overlap`);
    }
  }
  return undefined;
}

function checkEntry(elf: Elf32File): ElfError | undefined {
  const inCode = elf.segments.some((p) => (p.flags & PF_X) !== 0 && elf.entry >= p.vaddr && elf.entry + 4 <= p.vaddr + p.filesz);
  if ((elf.entry & 3) !== 0 || !inCode) return elfError('ELF_BAD_ENTRY', `entry 0x${elf.entry.toString(16)} is not in an executable segment`);
  return undefined;
}

/** Address of the program headers in memory, if a segment loads them (AT_PHDR), else 0. */
function phdrAddress(elf: Elf32File): number {
  const seg = elf.segments.find((p) => elf.phoff >= p.offset && elf.phoff + elf.phnum * 32 <= p.offset + p.filesz);
  return seg === undefined ? 0 : seg.vaddr + (elf.phoff - seg.offset);
}

/** Validates everything first, then loads; a bad file gets an ElfError and memory is left untouched. */
export function loadElf(memory: GuestMemory, bytes: Uint8Array, options: LoadOptions): LoadedProgram | ElfError {
  const elf = parseElf32(bytes);
  if ('code' in elf) return elf;
  const stackTop = RAM_BASE + memory.size;
  const stackBottom = stackTop - stackSizeFor(memory.size);
  const err = checkPlacement(elf.segments, RAM_BASE, stackBottom) ?? checkEntry(elf);
  if (err !== undefined) return err;
  const stack = buildInitialStack({
    argv: options.argv, envp: options.envp ?? [], random: options.random ?? new Uint8Array(16),
    phdr: phdrAddress(elf), phnum: elf.phnum, entry: elf.entry,
  }, stackTop, stackTop - stackBottom);
  if ('code' in stack) return stack;
  for (const p of elf.segments) {
    memory.write(p.vaddr, bytes.subarray(p.offset, p.offset + p.filesz));
    memory.zero(p.vaddr + p.filesz, p.memsz - p.filesz);
  }
  memory.write(stack.sp, stack.bytes);
  const end = Math.max(...elf.segments.map((p) => p.vaddr + p.memsz));
  return { entry: elf.entry, sp: stack.sp, brkStart: pageUp(end), brkLimit: stackBottom, stackBottom, stackTop };
}
