/** The format versions this Cella reads, each with its verifier; the one it writes is FORMAT_VERSION. */
import type { FileHandle } from 'node:fs/promises';
import { CELLA_VERSION } from '../../version.js';
import { FORMAT_VERSION } from './layout.js';
import { snapErr, snapOk, type SnapshotResult } from './snapshot-errors.js';
import type { VerifiedLayout } from './verified-layout.js';
import { verifyV1 } from './verify-v1.js';

/** Verifies a whole file of one format version; `prefix` is its first PREFIX_BYTES bytes (fewer if it is shorter). */
export type FormatVerifier = (file: FileHandle, size: number, prefix: Buffer, path: string) => Promise<SnapshotResult<VerifiedLayout>>;

/** Version 2 is laid out as version 1 (layout.ts says what changed): the same verifier, reporting its own version. */
const verifyV2: FormatVerifier = async (file, size, prefix, path) => {
  const r = await verifyV1(file, size, prefix, path);
  return r.ok ? snapOk({ ...r.value, formatVersion: 2 }) : r;
};

/** Readers by format version. An older version stays here, with its own verifier, for as long as it is supported. */
export const FORMAT_VERIFIERS: ReadonlyMap<number, FormatVerifier> = new Map([[1, verifyV1], [FORMAT_VERSION, verifyV2]]);

/** The verifier for `version`, or a refusal naming the file's version and the ones this Cella reads. */
export function verifierFor(version: number, path: string): SnapshotResult<FormatVerifier> {
  const verifier = FORMAT_VERIFIERS.get(version);
  if (verifier) return { ok: true, value: verifier };
  const readable = [...FORMAT_VERIFIERS.keys()].join(', ');
  return snapErr(
    'SNAPSHOT_VERSION',
    `snapshot ${path}: format version ${version} is not supported; Cella ${CELLA_VERSION} reads format version ${readable} and writes ${FORMAT_VERSION}`,
    8,
  );
}
