/** Crash-safe replacement of a file: write `path.part`, stamp its final magic, fsync, rename over `path`, fsync the directory. */
import { open, rename, rm, type FileHandle } from 'node:fs/promises';
import { dirname } from 'node:path';
import { ioError, type SnapshotResult } from './snapshot-errors.js';

export const PART_SUFFIX = '.part';

/** Where a file is written before it is renamed into place. */
export function partPathOf(path: string): string {
  return path + PART_SUFFIX;
}

/** Fills the part file; returns its length or a refusal. */
export type FileBody = (file: FileHandle) => Promise<SnapshotResult<number>>;

/**
 * Writes `path` so that a crash at any point leaves the old `path` whole: the body goes to `path.part`
 * (a stale one is removed first), `finalPrefix` is written at offset 0 (the body wrote a "not finished"
 * prefix there), the file is synced and renamed, then the directory is synced so the rename is durable.
 */
export async function replaceAtomically(path: string, finalPrefix: Uint8Array, body: FileBody): Promise<SnapshotResult<number>> {
  const part = partPathOf(path);
  let step = 'remove a stale part file';
  let file: FileHandle | null = null;
  try {
    await rm(part, { force: true });
    step = 'create the part file';
    file = await open(part, 'w', 0o600);
    step = 'write the part file';
    const written = await body(file);
    if (!written.ok) {
      await discard(file, part);
      return written;
    }
    step = 'finish and sync the part file';
    await file.write(finalPrefix, 0, finalPrefix.length, 0);
    await file.sync();
    await file.close();
    file = null;
    step = 'rename the part file into place';
    await rename(part, path);
    step = 'sync the directory';
    await syncDirectory(dirname(path));
    return written;
  } catch (e) {
    // whatever step failed, no part file stays behind (after the rename there is none to remove)
    if (file !== null) await discard(file, part);
    else await rm(part, { force: true }).catch(() => undefined);
    return ioError(step, path, e);
  }
}

async function discard(file: FileHandle, part: string): Promise<void> {
  await file.close().catch(() => undefined);
  await rm(part, { force: true }).catch(() => undefined);
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await open(dir, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
