// The built JavaScript of a command (scripts/build.mjs), built again first when it is missing or
// older than one of the sources it was built from: bin/ never runs stale code, and never compiles
// when nothing changed (the check is a stat of each source).
import { readFileSync, statSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..');

function stale(name) {
  let built;
  let inputs;
  try {
    built = statSync(join(ROOT, 'dist', `${name}.mjs`)).mtimeMs;
    inputs = JSON.parse(readFileSync(join(ROOT, 'dist', `${name}.inputs.json`), 'utf8'));
  } catch {
    return true;
  }
  return inputs.some((file) => {
    try {
      return statSync(join(ROOT, file)).mtimeMs > built;
    } catch {
      return true;
    }
  });
}

/** The file: URL to import for `name` ('cli/qvm', 'run-elf/main'). */
export async function builtEntry(name) {
  if (stale(name)) {
    const { buildEntry } = await import('../scripts/build.mjs');
    await buildEntry(name);
  }
  return pathToFileURL(join(ROOT, 'dist', `${name}.mjs`)).href;
}
