import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { startServer, type TestServer } from '../../helpers/server.js';

let server: TestServer;
let env: Record<string, string>;
const qvm = (name: string, ...args: string[]) => runCli(name, args, env);

beforeAll(async () => {
  server = await startServer();
  env = { CELLA_URL: server.url };
  for (const [name, klass] of [['fedora', 'TemplateVM'], ['work', 'AppVM'], ['vault', 'AppVM'], ['sys-net', 'StandaloneVM']]) {
    const body = { name, class: klass, label: 'blue', ...(klass === 'AppVM' ? { template: 'fedora' } : {}) };
    await fetch(`${server.url}/api/v1/vms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
  }
});
afterAll(() => server.close());

describe('qvm-ls formats and columns', () => {
  it('prints a preset format with -o/--format', async () => {
    const full = await qvm('qvm-ls', '-o', 'full', 'work');
    expect(full.code).toBe(0);
    const [head, row] = full.stdout.trimEnd().split('\n');
    expect(head.split(/\s+/)).toEqual(['NAME', 'STATE', 'CLASS', 'LABEL', 'QID', 'UUID']);
    expect(row.split(/\s+/).slice(0, 4)).toEqual(['work', 'Halted', 'AppVM', 'blue']);
    expect(row.split(/\s+/)[5]).toMatch(/^[0-9a-f-]{36}$/);
    const kernel = await qvm('qvm-ls', '--format', 'kernel', '--raw-data', 'work');
    expect(kernel.stdout).toBe('work|Halted|AppVM|fedora|base\n');
  });

  it('refuses an unknown format, and --format with --fields, as usage errors', async () => {
    const nope = await qvm('qvm-ls', '-o', 'nope');
    expect(nope.code).toBe(2);
    expect(nope.stderr).toMatch(/^qvm-ls: error: .*nope.*full/);
    expect((await qvm('qvm-ls', '-o', 'full', '--fields', 'name')).code).toBe(2);
  });

  it('lists the formats and the columns', async () => {
    const formats = await qvm('qvm-ls', '--help-formats');
    expect(formats.code).toBe(0);
    expect(formats.stdout).toMatch(/^ {2}full +NAME,STATE,CLASS,LABEL,QID,UUID$/m);
    const cols = await qvm('qvm-ls', '--help-columns');
    expect(cols.code).toBe(0);
    expect(cols.stdout).toMatch(/^Available columns:\n/);
    expect(cols.stdout).toMatch(/^ {2}STATE +Qubes' power state/m);
    expect(cols.stdout).toMatch(/^ {2}MAXMEM +The most RAM the VM may be given/m);
  });

  it('refuses an unknown field with exit 2, naming the valid ones', async () => {
    const res = await qvm('qvm-ls', '--fields', 'name,nope');
    expect(res).toMatchObject({ code: 2, stdout: '' });
    expect(res.stderr).toMatch(/^qvm-ls: error: no such column: 'nope' \(columns: NAME, STATE, CLASS, .*MAXMEM.*\)\n$/);
  });

  it('takes property columns in either spelling', async () => {
    const res = await qvm('qvm-ls', '--raw-data', '--fields', 'name,shutdown-timeout,QREXEC_TIMEOUT', 'work');
    expect(res.stdout).toBe('work|60|60\n');
  });
});

describe('qvm-ls selection', () => {
  it('prints bare names with --raw-list', async () => {
    expect(await qvm('qvm-ls', '--raw-list')).toMatchObject({ code: 0, stdout: 'dom0\nfedora\nsys-net\nvault\nwork\n' });
    expect((await qvm('qvm-ls', '--raw-list', '--class', 'AppVM')).stdout).toBe('vault\nwork\n');
  });

  it('takes --all, and --exclude only with --all', async () => {
    expect((await qvm('qvm-ls', '--raw-list', '--all', '--exclude', 'dom0', 'vault')).stdout).toBe('fedora\nsys-net\nwork\n');
    const alone = await qvm('qvm-ls', '--exclude', 'vault');
    expect(alone.code).toBe(2);
    expect(alone.stderr).toBe('qvm-ls: error: --exclude only goes with --all\n');
    expect((await qvm('qvm-ls', '--all', 'work')).code).toBe(2);
  });
});
