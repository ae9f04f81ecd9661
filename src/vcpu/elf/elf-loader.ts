/**
 * Loads a static RISC-V ELF32 program (ET_EXEC, or a static-pie ET_DYN at a base) into a fresh
 * address space over a memory, as Linux's exec does: segments mapped where they ask (layout in
 * elf-layout.ts), their bytes as a file mapping gives them, bss zeroed, a program break and a
 * stack with the Linux initial layout.
 */
import { AddressSpace } from '../address-space.js';
import type { GuestMemory } from '../guest-memory.js';
import { FRAME_SHIFT, FRAME_SIZE, RAM_BASE } from '../memory-layout.js';
import { PTE_OPEN } from '../page-table-entry.js';
import { elfError, type ElfError } from './elf-error.js';
import { DYN_BASE, planLayout, type ElfLayout } from './elf-layout.js';
import { PF_X, PHDR_SIZE, parseElf32, type Elf32File, type ProgramHeader } from './elf32-file.js';
import { buildInitialStack } from './initial-stack.js';

export { stackSizeFor } from './elf-layout.js';

export interface LoadOptions {
  readonly argv: readonly string[];
  readonly envp?: readonly string[];
  /** 16 bytes for AT_RANDOM (from the VM's seeded generator). */
  readonly random?: Uint8Array;
  /** Where a static-pie (ET_DYN) is loaded (default DYN_BASE, where qemu-riscv32 loads it). */
  readonly dynBase?: number;
}

export interface LoadedProgram {
  /** The program's address space (its page table over the memory). */
  readonly space: AddressSpace;
  readonly entry: number;
  /** Initial stack pointer (16-byte aligned, pointing at argc). */
  readonly sp: number;
  /** First address past the loaded image, page aligned: the initial program break. */
  readonly brkStart: number;
  /** Highest address the program break may reach (its pages are mapped up to there). */
  readonly brkLimit: number;
  /** Stack area [stackBottom, stackTop). */
  readonly stackBottom: number;
  readonly stackTop: number;
}

const pageDown = (v: number): number => Math.floor(v / FRAME_SIZE) * FRAME_SIZE;
const pageUp = (v: number): number => Math.ceil(v / FRAME_SIZE) * FRAME_SIZE;

function checkEntry(entry: number, segs: readonly ProgramHeader[]): ElfError | undefined {
  const inCode = segs.some((p) => (p.flags & PF_X) !== 0 && entry >= p.vaddr && entry + 4 <= p.vaddr + p.filesz);
  if ((entry & 3) !== 0 || !inCode) return elfError('ELF_BAD_ENTRY', `entry 0x${entry.toString(16)} is not in an executable segment`);
  return undefined;
}

/** Address of the program headers in memory, if a segment loads them (AT_PHDR), else 0. */
function phdrAddress(elf: Elf32File, segs: readonly ProgramHeader[]): number {
  const seg = segs.find((p) => elf.phoff >= p.offset && elf.phoff + elf.phnum * PHDR_SIZE <= p.offset + p.filesz);
  return seg === undefined ? 0 : seg.vaddr + (elf.phoff - seg.offset);
}

/** Maps every page of the layout; all open until page permissions are enforced (issue 20 maps each segment with its own flags). */
function mapPages(space: AddressSpace, layout: ElfLayout): void {
  for (const [vpn, frame] of layout.pages) space.map(vpn, frame, PTE_OPEN);
  const brkVpn = layout.brkStart >>> FRAME_SHIFT;
  layout.brkFrames.forEach((frame, k) => space.map(brkVpn + k, frame, PTE_OPEN));
  for (let a = layout.stackBottom; a < layout.stackTop; a += FRAME_SIZE) space.map(a >>> FRAME_SHIFT, (a - RAM_BASE) >>> FRAME_SHIFT, PTE_OPEN);
}

/**
 * A segment's bytes as Linux's file mapping gives them: when its offset and address agree within
 * the page, whole pages of the file (the bytes before it on its first page, and, with no bss, the
 * bytes after it on its last); then the bss zeroed (the rest of the last file page, and whole pages
 * up to the memory size). A later segment sharing a page replaces it, as mmap with MAP_FIXED does.
 */
function fillSegment(space: AddressSpace, bytes: Uint8Array, p: ProgramHeader): void {
  const fileEnd = p.vaddr + p.filesz;
  const head = p.vaddr % FRAME_SIZE;
  if (p.filesz > 0 && p.offset % FRAME_SIZE === head) {
    const from = p.offset - head;
    const to = Math.min(bytes.length, p.memsz === p.filesz ? p.offset + (pageUp(fileEnd) - p.vaddr) : p.offset + p.filesz);
    space.write(pageDown(p.vaddr), bytes.subarray(from, to));
    const written = pageDown(p.vaddr) + (to - from);
    if (written < pageUp(fileEnd)) space.zero(written, pageUp(fileEnd) - written);
  } else if (p.filesz > 0) {
    space.write(p.vaddr, bytes.subarray(p.offset, p.offset + p.filesz));
  }
  if (p.memsz > p.filesz) space.zero(fileEnd, pageUp(p.vaddr + p.memsz) - fileEnd);
}

/** Validates everything first, then loads; a bad file gets an ElfError and the memory is left untouched. */
export function loadElf(memory: GuestMemory, bytes: Uint8Array, options: LoadOptions): LoadedProgram | ElfError {
  const elf = parseElf32(bytes);
  if ('code' in elf) return elf;
  const layout = planLayout(elf, memory.size, options.dynBase ?? DYN_BASE);
  if ('code' in layout) return layout;
  const entry = elf.entry + layout.bias;
  const err = checkEntry(entry, layout.segments);
  if (err !== undefined) return err;
  const { stackBottom, stackTop } = layout;
  const stack = buildInitialStack({
    argv: options.argv, envp: options.envp ?? [], random: options.random ?? new Uint8Array(16),
    phdr: phdrAddress(elf, layout.segments), phnum: elf.phnum, entry,
  }, stackTop, stackTop - stackBottom);
  if ('code' in stack) return stack;
  const space = new AddressSpace(memory);
  mapPages(space, layout);
  for (const p of layout.segments) fillSegment(space, bytes, p);
  space.write(stack.sp, stack.bytes);
  const brkLimit = layout.brkStart + layout.brkFrames.length * FRAME_SIZE;
  return { space, entry, sp: stack.sp, brkStart: layout.brkStart, brkLimit, stackBottom, stackTop };
}
