/** Errors of the ELF loader, as values with codes. */

export type ElfErrorCode =
  | 'ELF_TRUNCATED' | 'ELF_BAD_MAGIC' | 'ELF_BAD_CLASS' | 'ELF_BAD_ENCODING' | 'ELF_BAD_VERSION'
  | 'ELF_BAD_TYPE' | 'ELF_BAD_MACHINE' | 'ELF_BAD_PHDR' | 'ELF_NO_LOAD_SEGMENT' | 'ELF_BAD_SEGMENT'
  | 'ELF_SEGMENT_OUT_OF_RAM' | 'ELF_SEGMENTS_OVERLAP' | 'ELF_BAD_ENTRY' | 'ELF_ARGS_TOO_LONG';

export interface ElfError {
  readonly code: ElfErrorCode;
  readonly message: string;
}

export const elfError = (code: ElfErrorCode, message: string): ElfError => ({ code, message });

export const isElfError = (v: unknown): v is ElfError =>
  typeof v === 'object' && v !== null && 'code' in v && typeof v.code === 'string' && v.code.startsWith('ELF_');
