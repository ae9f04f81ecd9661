/** Errors of the ELF loader, as values with codes. */

export type ElfErrorCode =
  | 'ELF_TRUNCATED' | 'ELF_BAD_MAGIC' | 'ELF_BAD_CLASS' | 'ELF_BAD_ENCODING' | 'ELF_BAD_VERSION'
  | 'ELF_BAD_TYPE' | 'ELF_BAD_MACHINE' | 'ELF_BAD_PHDR' | 'ELF_NO_LOAD_SEGMENT' | 'ELF_BAD_SEGMENT'
  | 'ELF_SEGMENT_IN_STACK' | 'ELF_SEGMENTS_OVERLAP' | 'ELF_BAD_ENTRY' | 'ELF_ARGS_TOO_LONG'
  | 'ELF_DYNAMIC' | 'ELF_TOO_BIG' | 'ELF_BSS_NOT_WRITABLE';

export interface ElfError {
  readonly code: ElfErrorCode;
  readonly message: string;
  /**
   * Set when Linux would fail the exec after its point of no return, so that the process dies of
   * this signal instead of execve returning an error (a shell then reports 128 + signal).
   */
  readonly signal?: number;
}

export const elfError = (code: ElfErrorCode, message: string, signal?: number): ElfError =>
  signal === undefined ? { code, message } : { code, message, signal };

export const isElfError = (v: unknown): v is ElfError =>
  typeof v === 'object' && v !== null && 'code' in v && typeof v.code === 'string' && v.code.startsWith('ELF_');
