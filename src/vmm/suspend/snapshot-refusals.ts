/** The snapshot layer's refusals as the manager's error codes: a missing file, an I/O failure, anything else a file that is not valid. */
import { CellaError, type ErrorCode } from '../errors.js';
import type { SnapshotError } from './format/index.js';

export function snapshotCode(e: SnapshotError): ErrorCode {
  if (e.code === 'SNAPSHOT_NOT_FOUND') return 'SNAPSHOT_NOT_FOUND';
  if (e.code === 'SNAPSHOT_IO') return 'SNAPSHOT_IO';
  return 'SNAPSHOT_INVALID';
}

export function snapshotError(e: SnapshotError, fallback: ErrorCode): CellaError {
  const code = e.code === 'SNAPSHOT_IO' || e.code === 'SNAPSHOT_INVALID_INPUT' ? fallback : snapshotCode(e);
  return new CellaError(code, e.message);
}
