/** The refusals of the snapshot file layer: one catalogue of codes, errors and results as values. */
import { err, ok, type Result } from '../../../result/result.js';

/** Every code the snapshot file layer returns, with what it means (declared once, read by docs and tests). */
export const SNAPSHOT_ERROR_CODES = {
  SNAPSHOT_NOT_FOUND: 'There is no file at the path',
  SNAPSHOT_IO: 'The file could not be opened, read, written, synced or renamed',
  SNAPSHOT_INVALID_INPUT: 'The writer was handed a header or sections it cannot store',
  SNAPSHOT_PARTIAL: 'The file is an unfinished write (a .part file, or the CELLAPRT magic)',
  SNAPSHOT_BAD_MAGIC: 'The file does not start with the CELLASNP magic',
  SNAPSHOT_VERSION: 'The file has a format version this Cella does not read',
  SNAPSHOT_TRUNCATED: 'The file is shorter than its header says',
  SNAPSHOT_CHECKSUM: 'The SHA-256 in the trailer does not match the bytes before it',
  SNAPSHOT_CORRUPT: 'The checksum holds but the structure does not (lengths, order, names, JSON, trailing bytes)',
  SNAPSHOT_UNKNOWN_SECTION: 'A section of a kind this Cella does not know is not marked optional',
  SNAPSHOT_NO_SECTION: 'The snapshot has no section of that name and kind',
  SNAPSHOT_SIZE_MISMATCH: 'The memory to restore into is not the size of the saved RAM',
} as const;

export type SnapshotErrorCode = keyof typeof SNAPSHOT_ERROR_CODES;

/** A refusal: a code from the catalogue, a message for people and, when it helps, the file offset. */
export interface SnapshotError {
  readonly code: SnapshotErrorCode;
  readonly message: string;
  readonly offset?: number;
}

export type SnapshotResult<T> = Result<T, SnapshotError>;

export function snapOk<T>(value: T): SnapshotResult<T> {
  return ok(value);
}

export function snapErr<T = never>(code: SnapshotErrorCode, message: string, offset?: number): SnapshotResult<T> {
  return err(offset === undefined ? { code, message } : { code, message, offset });
}

/** A thrown fs error as a SNAPSHOT_IO refusal naming the step that failed. */
export function ioError<T = never>(what: string, path: string, cause: unknown): SnapshotResult<T> {
  const detail = cause instanceof Error ? cause.message : String(cause);
  return snapErr('SNAPSHOT_IO', `snapshot ${path}: cannot ${what}: ${detail}`);
}

/** A failed open for reading: SNAPSHOT_NOT_FOUND when there is no file, else SNAPSHOT_IO. */
export function openError<T = never>(path: string, cause: unknown): SnapshotResult<T> {
  const missing = cause instanceof Error && 'code' in cause && cause.code === 'ENOENT';
  return missing ? snapErr('SNAPSHOT_NOT_FOUND', `snapshot ${path}: no such file`) : ioError('open the file', path, cause);
}
