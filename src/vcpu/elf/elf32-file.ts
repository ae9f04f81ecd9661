/** The ELF32 little-endian RISC-V executable format: header and program headers, strictly validated (static ET_EXEC, and ET_DYN for static-pie). */
import { elfError, type ElfError } from './elf-error.js';

export const EM_RISCV = 243;
export const ET_EXEC = 2;
export const ET_DYN = 3;
export const PT_LOAD = 1;
export const PT_INTERP = 3;
export const PF_X = 1;
export const PF_W = 2;
export const PF_R = 4;
const EHDR_SIZE = 52;
export const PHDR_SIZE = 32;
/** Linux reads at most one page of program headers (load_elf_phdrs: 4096 / 32 = 128 of them). */
export const MAX_PHNUM = 4096 / PHDR_SIZE;

export interface ProgramHeader {
  readonly type: number; readonly offset: number; readonly vaddr: number; readonly filesz: number;
  readonly memsz: number; readonly flags: number; readonly align: number;
}

export interface Elf32File {
  /** ET_EXEC (loaded where it is linked) or ET_DYN (static-pie: loaded at a base). */
  readonly type: typeof ET_EXEC | typeof ET_DYN;
  readonly entry: number;
  readonly phoff: number;
  readonly phentsize: number;
  readonly phnum: number;
  readonly segments: readonly ProgramHeader[];
}

function checkIdent(b: Uint8Array): ElfError | undefined {
  if (b.length < EHDR_SIZE) return elfError('ELF_TRUNCATED', `file of ${b.length} bytes is shorter than an ELF header`);
  if (b[0] !== 0x7f || b[1] !== 0x45 || b[2] !== 0x4c || b[3] !== 0x46) return elfError('ELF_BAD_MAGIC', 'not an ELF file');
  if (b[4] !== 1) return elfError('ELF_BAD_CLASS', `ELF class ${b[4]} is not ELFCLASS32`);
  if (b[5] !== 1) return elfError('ELF_BAD_ENCODING', `ELF data encoding ${b[5]} is not little-endian`);
  if (b[6] !== 1) return elfError('ELF_BAD_VERSION', `ELF ident version ${b[6]} is not 1`);
  return undefined;
}

function checkHeader(v: DataView): ElfError | undefined {
  const type = v.getUint16(16, true), machine = v.getUint16(18, true), version = v.getUint32(20, true);
  if (type !== ET_EXEC && type !== ET_DYN) return elfError('ELF_BAD_TYPE', `ELF type ${type} is not ET_EXEC or ET_DYN (a static executable or static-pie)`);
  if (machine !== EM_RISCV) return elfError('ELF_BAD_MACHINE', `ELF machine ${machine} is not RISC-V (243)`);
  if (version !== 1) return elfError('ELF_BAD_VERSION', `ELF version ${version} is not 1`);
  return undefined;
}

function readPhdr(v: DataView, at: number): ProgramHeader {
  return {
    type: v.getUint32(at, true), offset: v.getUint32(at + 4, true), vaddr: v.getUint32(at + 8, true),
    filesz: v.getUint32(at + 16, true), memsz: v.getUint32(at + 20, true),
    flags: v.getUint32(at + 24, true), align: v.getUint32(at + 28, true),
  };
}

function checkSegment(p: ProgramHeader, fileSize: number, i: number): ElfError | undefined {
  if (p.filesz > p.memsz) return elfError('ELF_BAD_SEGMENT', `segment ${i}: file size ${p.filesz} exceeds memory size ${p.memsz}`);
  if (p.offset + p.filesz > fileSize) return elfError('ELF_TRUNCATED', `segment ${i}: bytes ${p.offset}+${p.filesz} lie beyond the file end ${fileSize}`);
  if (p.vaddr + p.memsz > 0x1_0000_0000) return elfError('ELF_BAD_SEGMENT', `segment ${i}: wraps past 4 GiB`);
  return undefined;
}

/** Parses and checks an ELF32 RISC-V executable's headers; the LOAD segments are returned in file order. */
export function parseElf32(bytes: Uint8Array): Elf32File | ElfError {
  const identError = checkIdent(bytes);
  if (identError !== undefined) return identError;
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const headerError = checkHeader(v);
  if (headerError !== undefined) return headerError;
  const entry = v.getUint32(24, true), phoff = v.getUint32(28, true);
  const phentsize = v.getUint16(42, true), phnum = v.getUint16(44, true);
  if (phentsize !== PHDR_SIZE) return elfError('ELF_BAD_PHDR', `program header size ${phentsize} is not ${PHDR_SIZE}`);
  if (phnum === 0 || phnum > MAX_PHNUM) return elfError('ELF_BAD_PHDR', `${phnum} program headers (1..${MAX_PHNUM} allowed)`);
  if (phoff + phnum * PHDR_SIZE > bytes.length) return elfError('ELF_TRUNCATED', 'program headers lie beyond the file end');
  const segments: ProgramHeader[] = [];
  for (let i = 0; i < phnum; i++) {
    const p = readPhdr(v, phoff + i * PHDR_SIZE);
    if (p.type === PT_INTERP) return elfError('ELF_DYNAMIC', `program header ${i} names an interpreter (PT_INTERP): a dynamically linked program; Cella runs static ones`);
    if (p.type !== PT_LOAD) continue;
    const err = checkSegment(p, bytes.length, i);
    if (err !== undefined) return err;
    if (p.memsz > 0) segments.push(p);
  }
  if (segments.length === 0) return elfError('ELF_NO_LOAD_SEGMENT', 'no PT_LOAD segment');
  return { type: v.getUint16(16, true) as Elf32File['type'], entry, phoff, phentsize, phnum, segments };
}
