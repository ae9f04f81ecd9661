/** writeSnapshot: plans the file (sizes known up front), then streams it crash-safely to `path`. */
import { createHash } from 'node:crypto';
import { CELLA_VERSION } from '../../version.js';
import { partPathOf, PART_SUFFIX, replaceAtomically } from './atomic-file.js';
import { ChunkWriter, type ProgressCallback } from './chunk-writer.js';
import { encodeSnapshot } from './encode-snapshot.js';
import { MAGIC, PART_MAGIC } from './layout.js';
import { planSnapshot, type SectionInput, type SnapshotHeader } from './snapshot-plan.js';
import { ioError, snapErr, snapOk, type SnapshotResult } from './snapshot-errors.js';
import { open } from 'node:fs/promises';
import { DIGEST_SIZE } from './layout.js';

export interface WriteSnapshotOptions {
  /** Called after each chunk reaches the file with bytes done and the file's total length (fixed before writing). */
  readonly onProgress?: ProgressCallback;
  /** The Cella version recorded in the header; defaults to package.json's. */
  readonly cellaVersion?: string;
}

export interface WriteSnapshotSummary {
  readonly path: string;
  readonly bytes: number;
  readonly sections: number;
  /** Non-zero frames stored, over all memory sections. */
  readonly memoryFrames: number;
  /** The SHA-256 in the trailer (hex). */
  readonly sha256: string;
}

/** Writes a snapshot to `path` (through `path.part`, fsync, rename, directory fsync). Never throws. */
export async function writeSnapshot(
  path: string,
  header: SnapshotHeader,
  sections: readonly SectionInput[],
  options: WriteSnapshotOptions = {},
): Promise<SnapshotResult<WriteSnapshotSummary>> {
  if (path.endsWith(PART_SUFFIX)) return snapErr('SNAPSHOT_INVALID_INPUT', `snapshot ${path}: a snapshot path may not end in ${PART_SUFFIX}`);
  const plan = planSnapshot(header, sections, options.cellaVersion ?? CELLA_VERSION);
  if (!plan.ok) return plan;
  const { total, memoryFrames } = plan.value;
  const written = await replaceAtomically(path, MAGIC, async (file) => {
    const w = new ChunkWriter(file, createHash('sha256'), { total, onProgress: options.onProgress, storedPrefix: PART_MAGIC });
    const encoded = await encodeSnapshot(w, plan.value);
    if (!encoded.ok || encoded.value === total) return encoded;
    return snapErr('SNAPSHOT_IO', `snapshot ${partPathOf(path)}: wrote ${encoded.value} bytes, planned ${total}`);
  });
  if (!written.ok) return written;
  const sha256 = await trailerDigest(path);
  if (!sha256.ok) return sha256;
  return snapOk({ path, bytes: total, sections: sections.length, memoryFrames, sha256: sha256.value });
}

/** The SHA-256 a finished snapshot file ends with (hex). */
export async function trailerDigest(path: string): Promise<SnapshotResult<string>> {
  try {
    const file = await open(path, 'r');
    try {
      const { size } = await file.stat();
      const b = Buffer.alloc(DIGEST_SIZE);
      await file.read(b, 0, DIGEST_SIZE, size - DIGEST_SIZE);
      return snapOk(b.toString('hex'));
    } finally {
      await file.close();
    }
  } catch (err) {
    return ioError('read the digest of', path, err);
  }
}
