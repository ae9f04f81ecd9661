/** Pluggable file-descriptor endpoints: what a guest's read and write talk to (console, stream, file). */

/** Bytes read, end of file, or "would block" (the vCPU blocks and retries the syscall later). */
export type ReadResult = Uint8Array | 'eof' | 'would-block' | { readonly errno: number };

/** Bytes accepted, or "would block". */
export type WriteResult = number | 'would-block' | { readonly errno: number };

export interface InputEndpoint {
  /** Reads at most `max` (> 0) bytes. */
  read(max: number): ReadResult;
}

export interface OutputEndpoint {
  /** Writes some prefix of `bytes` (a non-empty array), returning how many were taken. */
  write(bytes: Uint8Array): WriteResult;
}

/** The endpoints behind a process's file descriptors 0, 1 and 2 (and any others). */
export interface FdTable {
  readonly inputs: ReadonlyMap<number, InputEndpoint>;
  readonly outputs: ReadonlyMap<number, OutputEndpoint>;
}

/** An fd table with stdin, stdout and stderr. */
export function stdioTable(stdin: InputEndpoint, stdout: OutputEndpoint, stderr: OutputEndpoint): FdTable {
  return { inputs: new Map([[0, stdin]]), outputs: new Map([[1, stdout], [2, stderr]]) };
}
