import { spawn, type ChildProcess } from 'node:child_process';
import { afterAll, describe, expect, it } from 'vitest';
import { lockDataDir } from '../../../src/data-lock.js';
import { tempDir } from '../snapshot/support/temp-dir.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const children: ChildProcess[] = [];
afterAll(() => children.forEach((c) => c.kill('SIGKILL')));

/** A child process holding the lock of `dir`; resolves once it has it. */
async function holder(dir: string): Promise<ChildProcess> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'test/helpers/hold-lock.ts', dir], { cwd: ROOT, stdio: ['ignore', 'pipe', 'inherit'] });
  children.push(child);
  await new Promise<void>((resolve, reject) => {
    child.stdout!.on('data', (b: Buffer) => b.toString().includes('locked') && resolve());
    child.on('exit', (code) => reject(new Error(`the lock holder exited with ${code}`)));
  });
  return child;
}

describe('the data-directory lock', () => {
  it('refuses a second manager while the first lives, and is free at once after the first is killed with SIGKILL', async () => {
    const dir = tempDir('lock');
    const first = await holder(dir);
    await expect(lockDataDir(dir)).rejects.toThrow(/another Cella manager is using/);
    const gone = new Promise((resolve) => first.on('exit', resolve));
    first.kill('SIGKILL');
    await gone;
    // no waiting for the lock to go stale: the holder is dead, the kernel dropped its lock
    const release = await lockDataDir(dir);
    await expect(lockDataDir(dir)).rejects.toThrow(/another Cella manager is using/);
    await release();
    const again = await lockDataDir(dir);
    await again();
  }, 30_000);
});
