/** Helpers to forge snapshot files in tests: locate sections, patch bytes and recompute the trailer's SHA-256. */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import { readSnapshot, type SectionInfo } from '../../../../src/vmm/suspend/format/index.js';

/** Offsets of a section's header fields (the header sits before the name, which sits before the payload). */
export function sectionHeaderAt(s: SectionInfo): number {
  return s.offset - Buffer.byteLength(s.name) - 20;
}

/** The sections of a valid snapshot file. */
export async function sectionsOf(path: string): Promise<readonly SectionInfo[]> {
  const view = await readSnapshot(path);
  if (!view.ok) throw new Error(view.error.message);
  await view.value.close();
  return view.value.sections;
}

/** Recomputes the digest over every byte before it, so only the structure checks can refuse the file. */
export function reseal(bytes: Buffer): Buffer {
  createHash('sha256').update(bytes.subarray(0, bytes.length - 32)).digest().copy(bytes, bytes.length - 32);
  return bytes;
}

/** Writes a patched, resealed copy of `from` to `to`. */
export function forge(from: string, to: string, patch: (bytes: Buffer) => void): void {
  const bytes = readFileSync(from);
  patch(bytes);
  writeFileSync(to, reseal(bytes));
}
