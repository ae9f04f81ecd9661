import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli, startCli } from '../../helpers/cli.js';
import { startServer, type TestServer } from '../../helpers/server.js';

let server: TestServer;
let env: Record<string, string>;
const qvm = (name: string, ...args: string[]) => runCli(name, args, env);
const state = async (name: string) => ((await (await fetch(`${server.url}/api/v1/vms/${name}`)).json()) as { state: string }).state;

beforeAll(async () => {
  server = await startServer();
  env = { CELLA_URL: server.url };
  for (const [name, kernel] of [['a', 'base'], ['b', 'base'], ['c', 'base'], ['stubborn', 'spin']]) {
    await qvm('qvm-create', name, '-C', 'StandaloneVM', '-l', 'red', '--prop', `kernel=${kernel}`, '--prop', 'memory=4', '--prop', 'shutdown_timeout=1');
  }
});
afterAll(() => server.close());

describe('lifecycle commands', () => {
  it('starts VMs, and qvm-ls shows them Running with their memory', async () => {
    expect(await qvm('qvm-start', 'a', 'b')).toEqual({ code: 0, stdout: '', stderr: '' });
    const ls = (await qvm('qvm-ls', '--raw-data', '--fields', 'name,state,memory', 'a', 'c')).stdout;
    expect(ls).toBe('a|Running|4\nc|Halted|0\n');
  });

  it('fails with exit 1 for a running VM unless --skip-if-running', async () => {
    const again = await qvm('qvm-start', 'a');
    expect(again.code).toBe(1);
    expect(again.stderr).toBe('qvm-start: error: a: Domain is already running\n');
    expect((await qvm('qvm-start', '--skip-if-running', 'a')).code).toBe(0);
  });

  it('exits 2 for a VM that does not exist in every command, before acting on any', async () => {
    for (const cmd of ['qvm-start', 'qvm-shutdown', 'qvm-kill', 'qvm-pause', 'qvm-unpause', 'qvm-suspend', 'qvm-resume']) {
      expect(await qvm(cmd, 'ghost')).toEqual({ code: 2, stdout: '', stderr: `${cmd}: error: no such domain: 'ghost'\n` });
    }
    expect((await qvm('qvm-start', 'c', 'ghost')).code).toBe(2);
    expect(await state('c')).toBe('halted');
  });

  it('pauses and unpauses', async () => {
    expect((await qvm('qvm-pause', 'a')).code).toBe(0);
    expect(await state('a')).toBe('paused');
    expect((await qvm('qvm-pause', 'a')).code).toBe(1);
    expect((await qvm('qvm-unpause', 'a')).code).toBe(0);
    expect(await state('a')).toBe('running');
  });

  it('prints the console', async () => {
    expect((await qvm('qvm-console', 'a')).stdout).toBe('a: idle kernel up\n');
  });

  it('follows the console until the VM stops', async () => {
    const following = startCli('qvm-console', ['-f', 'b'], env);
    // connected once it has printed the tail
    await following.output('b: idle kernel up\n');
    await fetch(`${server.url}/api/v1/vms/b/shutdown`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: '{"wait":true}' });
    const res = await following.done;
    expect(res).toMatchObject({ code: 0, stdout: 'b: idle kernel up\nidle: shutting down\n' });
  });

  it('shuts down with --wait, passing over a VM that is halted already, as Qubes does', async () => {
    await qvm('qvm-start', 'b', 'stubborn');
    const res = await qvm('qvm-shutdown', '--wait', 'a', 'b', 'c');
    expect(res).toEqual({ code: 0, stdout: '', stderr: '' });
    expect([await state('a'), await state('b')]).toEqual(['halted', 'halted']);
    const killed = await qvm('qvm-shutdown', '--wait', '--timeout', '1', 'stubborn');
    expect(killed.code).toBe(0);
    expect(await state('stubborn')).toBe('halted');
  });

  it('acts on --all but --exclude, and refuses --exclude alone', async () => {
    await qvm('qvm-start', 'a', 'b', 'c');
    expect((await qvm('qvm-shutdown', '--all', '--exclude', 'c', '--wait')).code).toBe(0);
    expect([await state('a'), await state('b'), await state('c')]).toEqual(['halted', 'halted', 'running']);
    expect((await qvm('qvm-shutdown', '--exclude', 'c')).code).toBe(2);
  });

  it('kills, passing over a VM that is halted already, as Qubes does', async () => {
    expect(await state('a')).toBe('halted');
    expect(await qvm('qvm-kill', 'c', 'a')).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await state('c')).toBe('halted');
    expect((await qvm('qvm-kill', 'c')).code).toBe(0);
  });

  it('runs as `qvm start` too', async () => {
    expect((await qvm('qvm', 'start', 'a')).code).toBe(0);
    expect((await qvm('qvm', 'kill', 'a')).code).toBe(0);
  });
});
