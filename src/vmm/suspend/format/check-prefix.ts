/** The checks every format version shares: the file is not empty, starts with the magic, and has a version field. */
import { HEADER, MAGIC, PART_MAGIC } from './layout.js';
import { snapErr, snapOk, type SnapshotResult } from './snapshot-errors.js';

/** Bytes a reader reads first: the fixed header of the newest format (shorter when the file is shorter). */
export const PREFIX_BYTES = HEADER.SIZE;

/** The format version of a file whose first bytes are `prefix` (all of the file when it is shorter). */
export function checkPrefix(prefix: Buffer, path: string): SnapshotResult<number> {
  const magicBytes = Math.min(prefix.length, MAGIC.length);
  const head = prefix.subarray(0, magicBytes);
  if (head.equals(PART_MAGIC.subarray(0, magicBytes)) && magicBytes === MAGIC.length) {
    return snapErr('SNAPSHOT_PARTIAL', `snapshot ${path}: the file is an unfinished write (magic CELLAPRT)`, 0);
  }
  if (!head.equals(MAGIC.subarray(0, magicBytes))) {
    return snapErr('SNAPSHOT_BAD_MAGIC', `snapshot ${path}: not a Cella snapshot (it does not start with CELLASNP)`, 0);
  }
  if (prefix.length < HEADER.VERSION + 4) {
    return snapErr('SNAPSHOT_TRUNCATED', `snapshot ${path}: the file ends after ${prefix.length} bytes, inside the fixed header`, prefix.length);
  }
  return snapOk(prefix.readUInt32LE(HEADER.VERSION));
}
