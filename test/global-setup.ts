/** Before any test: the CLI and `cella run-elf` built from the sources as they are, so the tests that run them as subprocesses run this code. */
import { execFileSync } from 'node:child_process';

export default function setup(): void {
  execFileSync(process.execPath, ['scripts/build.mjs'], { stdio: 'inherit' });
}
