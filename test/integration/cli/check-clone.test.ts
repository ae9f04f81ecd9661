import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { startServer, type TestServer } from '../../helpers/server.js';

let server: TestServer;
let env: Record<string, string>;
const qvm = (name: string, ...args: string[]) => runCli(name, args, env);
const post = (path: string, body?: unknown) =>
  fetch(`${server.url}${path}`, { method: 'POST', headers: body === undefined ? {} : { 'content-type': 'application/json' }, body: body === undefined ? undefined : JSON.stringify(body) });

beforeAll(async () => {
  server = await startServer();
  env = { CELLA_URL: server.url };
  await post('/api/v1/vms', { name: 'fedora', class: 'TemplateVM', label: 'black' });
  for (const name of ['up', 'down', 'still']) await post('/api/v1/vms', { name, class: 'StandaloneVM', label: 'red', properties: { memory: 4 } });
  await post('/api/v1/vms/up/start');
  await post('/api/v1/vms/still/start');
  await post('/api/v1/vms/still/pause');
});
afterAll(() => server.close());

describe('qvm-check', () => {
  it('exits 0 when every VM exists, 1 when one does not, saying which on stderr', async () => {
    expect(await qvm('qvm-check', 'up', 'down')).toEqual({ code: 0, stdout: '', stderr: 'down: exists\nup: exists\n' });
    expect(await qvm('qvm-check', '-q', 'up')).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await qvm('qvm-check', 'up', 'ghost')).toEqual({ code: 1, stdout: '', stderr: 'up: exists\nghost: non-existent!\n' });
    expect((await qvm('qvm-check', '-q', 'ghost')).code).toBe(1);
  });

  it('with --running, --paused, --halted or --template: 0 when all are, 1 when none is, 3 when some are', async () => {
    expect((await qvm('qvm-check', '--running', 'up')).code).toBe(0);
    // a paused VM is running, as Qubes' is_running() says
    expect((await qvm('qvm-check', '--running', 'up', 'still')).code).toBe(0);
    expect(await qvm('qvm-check', '--running', 'up', 'down')).toEqual({ code: 3, stdout: '', stderr: 'up: running\n' });
    expect(await qvm('qvm-check', '--running', 'down')).toEqual({ code: 1, stdout: '', stderr: 'None of qubes: running\n' });
    expect((await qvm('qvm-check', '--paused', 'still')).code).toBe(0);
    expect((await qvm('qvm-check', '--paused', 'up')).code).toBe(1);
    expect((await qvm('qvm-check', '--halted', 'down', 'fedora')).code).toBe(0);
    expect((await qvm('qvm-check', '--halted', 'down', 'up')).code).toBe(3);
    expect((await qvm('qvm-check', '--template', 'fedora')).code).toBe(0);
    expect((await qvm('qvm-check', '--template', 'down')).code).toBe(1);
    expect((await qvm('qvm-check', '-q', '--running', 'up', 'ghost')).code).toBe(1);
    expect((await qvm('qvm-check', '-q', '--running', '--all', '--exclude', 'down', 'fedora')).code).toBe(0);
  });

  it('refuses no VM, or names with --all, as usage errors', async () => {
    expect((await qvm('qvm-check')).code).toBe(2);
    expect((await qvm('qvm-check', '--all', 'up')).code).toBe(2);
    expect((await qvm('qvm-check', '--exclude', 'up', 'up')).code).toBe(2);
  });
});

describe('qvm-clone', () => {
  it('clones a VM with its properties, tags and features, silently', async () => {
    await fetch(`${server.url}/api/v1/vms/down`, { method: 'PATCH', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ vcpus: 3 }) });
    await fetch(`${server.url}/api/v1/vms/down/tags/managed`, { method: 'PUT' });
    await fetch(`${server.url}/api/v1/vms/down/features/gui`, { method: 'PUT', headers: { 'content-type': 'application/json' }, body: '{"value":"1"}' });
    expect(await qvm('qvm-clone', 'down', 'down2')).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await (await fetch(`${server.url}/api/v1/vms/down2`)).json()).toMatchObject({ class: 'StandaloneVM', label: 'red', memory: 4, vcpus: 3, tags: ['managed'] });
    expect((await qvm('qvm-features', 'down2', 'gui')).stdout).toBe('1\n');
    expect((await qvm('qvm', 'clone', '-C', 'TemplateVM', 'down', 'tpl')).code).toBe(0);
    expect((await qvm('qvm-ls', '--raw-data', '--fields', 'name,class', 'tpl')).stdout).toBe('tpl|TemplateVM\n');
  });

  it('exits 2 for a source that does not exist, 1 for a refused clone, and creates nothing', async () => {
    expect(await qvm('qvm-clone', 'ghost', 'x')).toEqual({ code: 2, stdout: '', stderr: "qvm-clone: error: no such domain: 'ghost'\n" });
    expect(await qvm('qvm-clone', 'down', 'up')).toEqual({ code: 1, stdout: '', stderr: "qvm-clone: error: a VM named 'up' already exists\n" });
    expect(await qvm('qvm-clone', 'down', '9x')).toEqual({ code: 1, stdout: '', stderr: 'qvm-clone: error: new name: a letter first, then letters, digits, _ . - only\n' });
    expect((await qvm('qvm-clone', 'down', 'x', '-C', 'Toaster')).code).toBe(2);
    expect((await qvm('qvm-check', '-q', 'x')).code).toBe(1);
  });
});
