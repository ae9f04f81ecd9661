/** Finds the guest program `cella run-elf` runs: a file path, or the name of a prebuilt image. */
import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** Folder of the committed prebuilt guest images. */
export const IMAGES_DIR = fileURLToPath(new URL('../../../guests/images/', import.meta.url));

/** Names of the prebuilt images. */
export const IMAGE_NAMES = ['hello', 'echo', 'sha256sum', 'cpubench', 'isa-digest'] as const;

export type ImageLookup = { bytes: Uint8Array; path: string } | { error: string };

/** Reads `fileOrName`: an existing file, else guests/images/NAME.elf. */
export function readGuestImage(fileOrName: string): ImageLookup {
  const candidates = [fileOrName, `${IMAGES_DIR}${fileOrName}.elf`];
  const path = candidates.find((p) => /^[\w.-]+$/.test(fileOrName) || p === fileOrName ? existsSync(p) : false);
  if (path === undefined) return { error: `${fileOrName}: no such file or prebuilt image (images: ${IMAGE_NAMES.join(', ')})` };
  return { bytes: new Uint8Array(readFileSync(path)), path };
}
