/** Finds the guest program `cella run-elf` runs: a file path, or the name of a prebuilt image. */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Folder of the committed prebuilt guest images. */
export const IMAGES_DIR = fileURLToPath(new URL('../../guests/images/', import.meta.url));

/** Names of the prebuilt images. */
export const IMAGE_NAMES = ['hello', 'echo', 'sha256sum', 'cpubench', 'isa-digest'] as const;

/**
 * The program's bytes, or why there are none and the status a shell gives for it: 127 when
 * nothing is there, 126 when it is there but cannot be read (a directory, no permission, EIO).
 */
export type ImageLookup = { bytes: Uint8Array; path: string } | { error: string; status: 126 | 127 };

const REASONS: Record<string, string> = { EISDIR: 'is a directory', EACCES: 'permission denied', EPERM: 'permission denied' };

function reasonOf(e: unknown): string {
  const code = typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;
  return (code && REASONS[code]) ?? `cannot be read (${code ?? (e instanceof Error ? e.message : String(e))})`;
}

/** Reads `fileOrName`: an existing file, else guests/images/NAME.elf. */
export function readGuestImage(fileOrName: string): ImageLookup {
  const candidates = [fileOrName, `${IMAGES_DIR}${fileOrName}.elf`];
  const path = candidates.find((p) => /^[\w.-]+$/.test(fileOrName) || p === fileOrName ? existsSync(p) : false);
  if (path === undefined) return { error: `${fileOrName}: no such file or prebuilt image (images: ${IMAGE_NAMES.join(', ')})`, status: 127 };
  try {
    return { bytes: new Uint8Array(readFileSync(path)), path };
  } catch (e) {
    return { error: `${path}: ${reasonOf(e)}`, status: 126 };
  }
}
