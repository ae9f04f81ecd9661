/** readSnapshot: opens a snapshot file and verifies all of it before anything is handed out. */
import { open, type FileHandle } from 'node:fs/promises';
import { PART_SUFFIX } from './atomic-file.js';
import { checkPrefix, PREFIX_BYTES } from './check-prefix.js';
import { verifierFor } from './format-versions.js';
import { ioError, openError, snapErr, snapOk, type SnapshotResult } from './snapshot-errors.js';
import { VerifiedSnapshot } from './verified-snapshot.js';

/**
 * Verifies magic, format version, lengths, structure and SHA-256 of the whole file, then returns it held open
 * (close it when done). Refusals are values with a code; nothing throws.
 */
export async function readSnapshot(path: string): Promise<SnapshotResult<VerifiedSnapshot>> {
  if (path.endsWith(PART_SUFFIX)) {
    return snapErr('SNAPSHOT_PARTIAL', `snapshot ${path}: a ${PART_SUFFIX} file is an unfinished write and is never read`);
  }
  let file: FileHandle;
  try {
    file = await open(path, 'r');
  } catch (e) {
    return openError(path, e);
  }
  const verified = await verifyOpenFile(file, path);
  if (!verified.ok) await file.close().catch(() => undefined);
  return verified;
}

async function verifyOpenFile(file: FileHandle, path: string): Promise<SnapshotResult<VerifiedSnapshot>> {
  try {
    const stat = await file.stat();
    if (!stat.isFile()) return snapErr('SNAPSHOT_IO', `snapshot ${path}: not a regular file`);
    const prefix = Buffer.alloc(Math.min(stat.size, PREFIX_BYTES));
    const { bytesRead } = await file.read(prefix, 0, prefix.length, 0);
    const version = checkPrefix(prefix.subarray(0, bytesRead), path);
    if (!version.ok) return version;
    const verifier = verifierFor(version.value, path);
    if (!verifier.ok) return verifier;
    const layout = await verifier.value(file, stat.size, prefix.subarray(0, bytesRead), path);
    return layout.ok ? snapOk(new VerifiedSnapshot(file, path, layout.value)) : layout;
  } catch (e) {
    return ioError('read the file', path, e);
  }
}
