import { createServer } from 'node:net';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { startServer, type TestServer } from '../../helpers/server.js';

let server: TestServer;
let env: Record<string, string>;
const qvm = (name: string, ...args: string[]) => runCli(name, args, env);
const get = async (path: string) => (await fetch(`${server.url}${path}`)).json() as Promise<Record<string, any>>;

beforeAll(async () => {
  server = await startServer();
  env = { CELLA_URL: server.url };
});
afterAll(() => server.close());

describe('qvm-create', () => {
  it('creates a TemplateVM and an AppVM with properties, silently', async () => {
    expect(await qvm('qvm-create', '-C', 'TemplateVM', '-l', 'black', 'fedora')).toEqual({ code: 0, stdout: '', stderr: '' });
    const res = await qvm('qvm-create', 'work', '--label', 'blue', '--template', 'fedora', '--prop', 'memory=100', '--prop', 'autostart=True');
    expect(res.code).toBe(0);
    expect(await get('/api/v1/vms/work')).toMatchObject({ class: 'AppVM', template: 'fedora', memory: 100, autostart: true });
  });

  it('fails with one line and exit 1 for a taken name, 2 for usage errors', async () => {
    const taken = await qvm('qvm-create', 'work', '-l', 'red', '-t', 'fedora');
    expect(taken.code).toBe(1);
    expect(taken.stderr).toBe("qvm-create: error: a VM named 'work' already exists\n");
    const noLabel = await qvm('qvm-create', 'x');
    expect(noLabel.code).toBe(2);
    expect(noLabel.stderr.trim().split('\n')).toHaveLength(1);
    expect(noLabel.stderr).toMatch(/^qvm-create: error: .*label/);
    expect((await qvm('qvm-create', 'x', '-l', 'red', '--prop', 'nosuch=1')).code).toBe(2);
    expect((await qvm('qvm-create', 'x', '-l', 'red', '--prop', 'memory=lots')).code).toBe(2);
    expect((await qvm('qvm-create', 'x', '-l', 'red', '-C', 'Toaster')).code).toBe(2);
  });

  it('takes properties by -p, --prop and --property, each once a flag, before or after the name', async () => {
    const res = await qvm('qvm-create', '-p', 'memory=100', '--property', 'vcpus=3', '--prop', 'autostart=True', 'props', '-l', 'red', '-C', 'StandaloneVM');
    expect(res).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await get('/api/v1/vms/props')).toMatchObject({ memory: 100, vcpus: 3, autostart: true });
    const bad = await qvm('qvm-create', 'props2', '-l', 'red', '--property', 'memory');
    expect(bad).toMatchObject({ code: 2, stderr: "qvm-create: error: --property takes NAME=VALUE, not 'memory'\n" });
    await fetch(`${server.url}/api/v1/vms/props`, { method: 'DELETE' });
  });

  it('runs as `qvm create` too', async () => {
    expect((await qvm('qvm', 'create', 'viaqvm', '-l', 'green', '-t', 'fedora')).code).toBe(0);
    expect((await get('/api/v1/vms/viaqvm')).label).toBe('green');
  });
});

describe('qvm-ls', () => {
  it('lists VMs in columns NAME STATE CLASS LABEL TEMPLATE MEMORY VCPUS', async () => {
    const res = await qvm('qvm-ls');
    expect(res.code).toBe(0);
    const lines = res.stdout.trimEnd().split('\n');
    expect(lines[0].split(/\s+/)).toEqual(['NAME', 'STATE', 'CLASS', 'LABEL', 'TEMPLATE', 'MEMORY', 'VCPUS']);
    expect(lines.find((l) => l.startsWith('work '))?.split(/\s+/)).toEqual(['work', 'Halted', 'AppVM', 'blue', 'fedora', '0', '2']);
    expect(lines.find((l) => l.startsWith('dom0 '))?.split(/\s+/).slice(0, 3)).toEqual(['dom0', 'Running', 'AdminVM']);
  });

  it('prints raw data with chosen fields, and JSON', async () => {
    const raw = await qvm('qvm-ls', '--raw-data', '--fields', 'name,state,memory,autostart,qrexec_timeout', 'work', 'fedora');
    expect(raw.stdout).toBe('fedora|Halted|0|False|60\nwork|Halted|0|True|60\n');
    const json = JSON.parse((await qvm('qvm-ls', '--json', 'work')).stdout);
    expect(json).toEqual([expect.objectContaining({ name: 'work', memory: 100 })]);
  });

  it('filters by class, tags and power state', async () => {
    await fetch(`${server.url}/api/v1/vms/viaqvm/tags/managed`, { method: 'PUT' });
    const names = async (...args: string[]) => (await qvm('qvm-ls', '--raw-data', '--fields', 'name', ...args)).stdout.trim().split('\n');
    expect(await names('--class', 'TemplateVM')).toEqual(['fedora']);
    expect(await names('--tags', 'managed', 'other')).toEqual(['viaqvm']);
    expect(await names('--running')).toEqual(['dom0']);
    expect(await names('--halted')).toEqual(['fedora', 'viaqvm', 'work']);
  });

  it('exits 2 for a VM that does not exist', async () => {
    const res = await qvm('qvm-ls', 'ghost');
    expect(res).toMatchObject({ code: 2, stderr: "qvm-ls: error: no such domain: 'ghost'\n" });
  });
});

describe('qvm-prefs', () => {
  it('lists properties with - for set and D for default', async () => {
    const res = await qvm('qvm-prefs', 'work');
    expect(res.code).toBe(0);
    const rows = Object.fromEntries(res.stdout.trim().split('\n').map((l) => { const [n, f, ...v] = l.split(/\s+/); return [n, [f, v.join(' ')]]; }));
    expect(rows.memory).toEqual(['-', '100']);
    expect(rows.vcpus).toEqual(['D', '2']);
    expect(rows.template).toEqual(['-', 'fedora']);
    expect(rows.autostart).toEqual(['-', 'True']);
  });

  it('gets, sets and resets one property', async () => {
    expect((await qvm('qvm-prefs', 'work', 'memory')).stdout).toBe('100\n');
    expect((await qvm('qvm-prefs', 'work', 'vcpus', '3')).code).toBe(0);
    expect((await get('/api/v1/vms/work')).vcpus).toBe(3);
    expect((await qvm('qvm-prefs', '-D', 'work', 'vcpus')).code).toBe(0);
    expect((await get('/api/v1/vms/work')).defaults).toContain('vcpus');
    expect((await qvm('qvm-prefs', 'work', 'default_dispvm')).stdout).toBe('\n');
  });

  it('hides the defaults with --hide-default, and takes --get, --set and dashed names as Qubes does', async () => {
    const hidden = await qvm('qvm-prefs', '--hide-default', 'work');
    const names = hidden.stdout.trim().split('\n').map((l) => l.split(/\s+/)[0]);
    expect(names).toContain('memory');
    expect(names).not.toContain('vcpus');
    expect(hidden.stdout).not.toMatch(/ D /);
    expect(await qvm('qvm-prefs', '--hide-default', 'work', 'vcpus')).toEqual({ code: 0, stdout: '', stderr: '' });
    expect((await qvm('qvm-prefs', '--hide-default', 'work', 'memory')).stdout).toBe('100\n');
    expect((await qvm('qvm-prefs', '--get', 'work', 'memory')).stdout).toBe('100\n');
    expect((await qvm('qvm-prefs', '-g', 'work', 'shutdown-timeout')).stdout).toBe('60\n');
    expect(await qvm('qvm-prefs', '--set', 'work', 'shutdown-timeout', '30')).toEqual({ code: 0, stdout: '', stderr: '' });
    expect((await get('/api/v1/vms/work')).shutdown_timeout).toBe(30);
    expect((await qvm('qvm-prefs', '-s', 'work', 'shutdown_timeout', '60')).code).toBe(0);
    expect((await get('/api/v1/vms/work')).shutdown_timeout).toBe(60);
  });

  it('exits 2 for no such property or VM, 1 for a refused value', async () => {
    expect(await qvm('qvm-prefs', 'work', 'nosuch')).toMatchObject({ code: 2, stderr: "qvm-prefs: error: no such property: 'nosuch'\n" });
    expect((await qvm('qvm-prefs', 'ghost')).code).toBe(2);
    const refused = await qvm('qvm-prefs', 'work', 'memory', '999');
    expect(refused.code).toBe(1);
    expect(refused.stderr).toBe('qvm-prefs: error: memory (999 MiB) must not exceed maxmem (256 MiB)\n');
    expect((await qvm('qvm-prefs', 'work', 'autostart', 'maybe')).code).toBe(2);
  });

  it('explains the properties', async () => {
    const res = await qvm('qvm-prefs', '--help-properties');
    expect(res.stdout).toMatch(/^memory \(int\): Guest RAM in MiB/m);
  });
});

describe('qvm-tags', () => {
  it('adds, lists, tests and removes tags, idempotently', async () => {
    expect((await qvm('qvm-tags', 'work', 'add', 'b', 'a', 'a')).code).toBe(0);
    expect((await qvm('qvm-tags', 'work')).stdout).toBe('a\nb\n');
    expect((await qvm('qvm-tags', 'work', 'list', 'a'))).toMatchObject({ code: 0, stdout: 'a\n' });
    expect((await qvm('qvm-tags', 'work', 'list', 'zz'))).toMatchObject({ code: 1, stdout: '', stderr: '' });
    expect((await qvm('qvm-tags', 'work', 'del', 'a', 'never-there')).code).toBe(0);
    expect((await qvm('qvm-tags', 'work', 'ls')).stdout).toBe('b\n');
    expect((await qvm('qvm-tags', 'work', 'frobnicate', 'x')).code).toBe(2);
    expect((await qvm('qvm-tags', 'ghost', 'add', 'x')).code).toBe(2);
    expect((await qvm('qvm-tags', 'work', 'add', 'bad tag')).code).toBe(1);
  });
});

describe('qvm-features', () => {
  it('sets, lists, gets and removes features; exit 1 when not set', async () => {
    expect((await qvm('qvm-features', 'work', 'gui', '1')).code).toBe(0);
    expect((await qvm('qvm-features', 'work', 'service.ssh', '')).code).toBe(0);
    expect((await qvm('qvm-features', 'work')).stdout).toBe('gui          1\nservice.ssh\n');
    expect(await qvm('qvm-features', 'work', 'gui')).toMatchObject({ code: 0, stdout: '1\n' });
    expect(await qvm('qvm-features', 'work', 'absent')).toMatchObject({ code: 1, stdout: '', stderr: '' });
    expect((await qvm('qvm-features', '-D', 'work', 'gui')).code).toBe(0);
    expect((await qvm('qvm-features', '--delete', 'work', 'gui')).code).toBe(0);
    expect((await qvm('qvm-features', 'work', 'gui')).code).toBe(1);
  });
});

describe('qvm-remove', () => {
  it('asks, and removes on y', async () => {
    await qvm('qvm-create', 'bye', '-l', 'red', '-t', 'fedora');
    const no = await runCli('qvm-remove', ['bye'], env, 'n\n');
    expect(no.code).toBe(1);
    await expect(get('/api/v1/vms/bye')).resolves.toMatchObject({ name: 'bye' });
    const yes = await runCli('qvm-remove', ['bye'], env, 'y\n');
    expect(yes.code).toBe(0);
    expect((await get('/api/v1/vms/bye')).code).toBe('VM_NOT_FOUND');
  });

  it('takes the end of input as no, with one line saying so', async () => {
    await qvm('qvm-create', 'stays', '-l', 'red', '-t', 'fedora');
    const eof = await runCli('qvm-remove', ['stays'], env, '');
    expect(eof).toMatchObject({ code: 1, stdout: '' });
    expect(eof.stderr).toBe('This will completely remove the selected VM(s): stays\nAre you sure? [y/N] \nqvm-remove: error: remove cancelled\n');
    await expect(get('/api/v1/vms/stays')).resolves.toMatchObject({ name: 'stays' });
  });

  it('exits 2 for a VM that does not exist before asking anything', async () => {
    expect(await runCli('qvm-remove', ['stays', 'ghost'], env, 'y\n')).toEqual({ code: 2, stdout: '', stderr: "qvm-remove: error: no such domain: 'ghost'\n" });
    await expect(get('/api/v1/vms/stays')).resolves.toMatchObject({ name: 'stays' });
  });

  it('refuses a VM in use and dom0 with exit 1, and exits 2 for a missing VM', async () => {
    const inUse = await qvm('qvm-remove', '-f', 'fedora');
    expect(inUse.code).toBe(1);
    expect(inUse.stderr).toMatch(/^qvm-remove: error: VM 'fedora' cannot be removed\. It is in use as: template for /);
    expect((await qvm('qvm-remove', '-f', 'dom0')).code).toBe(1);
    expect((await qvm('qvm-remove', '-f', 'ghost')).code).toBe(2);
  });
});

describe('connection and auth', () => {
  it('reports an unreachable manager in one line with exit 1', async () => {
    const port = await closedPort();
    const res = await runCli('qvm-ls', [], { CELLA_URL: `http://127.0.0.1:${port}` });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(new RegExp(`^qvm-ls: error: cannot reach the Cella manager at http://127\\.0\\.0\\.1:${port} \\(ECONNREFUSED\\)`));
    expect(res.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('sends CELLA_TOKEN as a bearer token', async () => {
    const secured = await startServer({ token: 'tok' });
    try {
      expect((await runCli('qvm-ls', [], { CELLA_URL: secured.url })).stderr).toMatch(/^qvm-ls: error: send Authorization/);
      expect((await runCli('qvm-ls', ['--raw-data', '--fields', 'name'], { CELLA_URL: secured.url, CELLA_TOKEN: 'tok' })).stdout).toBe('dom0\n');
    } finally {
      await secured.close();
    }
  });
});

/** A loopback port nothing listens on. */
function closedPort(): Promise<number> {
  return new Promise((resolve) => {
    const probe = createServer().listen(0, '127.0.0.1', () => {
      const address = probe.address();
      probe.close(() => resolve(typeof address === 'object' && address ? address.port : 0));
    });
  });
}
