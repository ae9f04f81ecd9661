/** Builds the dashboard from ui/src into a temp dir (as npm install does into ui/dist), so tests serve the current source. */
import { execFileSync } from 'node:child_process';
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const root = new URL('../..', import.meta.url).pathname;

export function buildUiInto(dir = join(mkdtempSync(join(tmpdir(), 'cella-ui-')), 'dist')): string {
  execFileSync(process.execPath, [join(root, 'scripts/build-ui.mjs'), dir], { cwd: root, stdio: ['ignore', 'ignore', 'inherit'] });
  return dir;
}
