import { execFile } from 'node:child_process';
import { statSync, utimesSync } from 'node:fs';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';

const run = promisify(execFile);
const root = new URL('../../../', import.meta.url).pathname;
/** Refuses to load any TypeScript or tsx: what runs must be plain JavaScript. */
const NO_TS = `data:text/javascript,${encodeURIComponent(
  'import { register } from "node:module"; register("data:text/javascript," + encodeURIComponent("export async function resolve(s, c, next) { if (/tsx|\\\\.ts$/.test(s)) throw new Error(\\"loaded TypeScript: \\" + s); return next(s, c); }"));',
)}`;

describe('the built command line', () => {
  it('runs qvm and cella run-elf as plain JavaScript, with no TypeScript loader', async () => {
    const qvm = await run(process.execPath, ['--import', NO_TS, 'bin/qvm.mjs', 'ls', '--help-formats'], { cwd: root });
    expect(qvm.stdout).toMatch(/^Available formats:/);
    const cella = await run(process.execPath, ['--import', NO_TS, 'bin/cella.mjs', 'run-elf', 'hello'], { cwd: root });
    expect(cella.stdout).toBe('Hello from a Cella guest!\n');
  });

  it('is built again before it runs when a source is newer, and only then', async () => {
    const out = `${root}dist/cli/qvm.mjs`;
    await run(process.execPath, ['bin/qvm.mjs', '--help'], { cwd: root });
    // older than every source, whenever the tree was checked out or last edited
    const old = new Date(1_000_000_000_000);
    utimesSync(out, old, old);
    await run(process.execPath, ['bin/qvm.mjs', '--help'], { cwd: root });
    const rebuilt = statSync(out).mtimeMs;
    expect(rebuilt).toBeGreaterThan(old.getTime() + 1000);
    await run(process.execPath, ['bin/qvm.mjs', '--help'], { cwd: root });
    expect(statSync(out).mtimeMs).toBe(rebuilt);
  });
});
