import { mkdtempSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { startServer, type TestServer } from '../../helpers/server.js';

let server: TestServer;
let env: Record<string, string>;
const qvm = (...args: string[]) => runCli('qvm', ['policy', ...args], env);

beforeAll(async () => {
  server = await startServer();
  env = { CELLA_URL: server.url };
  for (const name of ['work', 'vault']) {
    await fetch(`${server.url}/api/v1/vms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ name, class: 'StandaloneVM', label: 'red' }) });
  }
});
afterAll(() => server.close());

describe('qvm policy', () => {
  it('lists and shows files', async () => {
    const ls = await qvm('ls');
    expect(ls.code).toBe(0);
    expect(ls.stdout).toMatch(/^90-default\.policy\t"v1"\t/m);
    expect((await qvm('show', '90-default.policy')).stdout).toContain('qubes.GetRandom');
  });

  it('evaluates a call and names the deciding rule; exit 1 for deny', async () => {
    const allow = await qvm('eval', 'work', 'vault', 'qubes.GetDate');
    expect(allow.code).toBe(0);
    expect(allow.stdout).toMatch(/^allow target=vault\n90-default\.policy:\d+: qubes\.GetDate/);
    const deny = await qvm('eval', 'work', 'vault', 'nothing.Here');
    expect(deny).toMatchObject({ code: 1, stdout: 'deny\nno rule matched\n' });
  });

  it('edits a file in $EDITOR and writes it with its ETag', async () => {
    const editor = join(mkdtempSync(join(tmpdir(), 'ed-')), 'ed.sh');
    writeFileSync(editor, '#!/bin/sh\necho "qubes.GetDate * work vault deny" >> "$1"\n', { mode: 0o755 });
    const res = await runCli('qvm', ['policy', 'edit', '30-user.policy'], { ...env, EDITOR: editor });
    expect(res.code).toBe(0);
    expect((await qvm('eval', 'work', 'vault', 'qubes.GetDate')).stdout).toMatch(/^deny\n30-user\.policy:\d+:/);
    expect((await qvm('history', '30-user.policy')).stdout).toMatch(/^v1\tcreate\t.*\nv2\tupdate\t.*\tdom0\n$/);
  });

  it('keeps the draft when the edited file would not parse', async () => {
    const editor = join(mkdtempSync(join(tmpdir(), 'ed-')), 'ed.sh');
    writeFileSync(editor, '#!/bin/sh\necho "broken" >> "$1"\n', { mode: 0o755 });
    const res = await runCli('qvm', ['policy', 'edit', '30-user.policy'], { ...env, EDITOR: editor });
    expect(res.code).toBe(1);
    expect(res.stderr).toMatch(/30-user\.policy:\d+: /);
    const draft = /draft is kept in (\S+)/.exec(res.stderr)![1];
    expect(readFileSync(draft, 'utf8')).toContain('broken');
  });

  it('checks a directory without writing, exporting and importing a tree', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'pol-'));
    expect((await qvm('export', dir)).code).toBe(0);
    expect(readFileSync(join(dir, 'include', 'admin-local-rwx'), 'utf8')).toMatch(/^##/);
    expect((await qvm('check', dir)).code).toBe(0);
    writeFileSync(join(dir, '10-bad.policy'), 'qubes.GetDate * @anyvm @default allow\n');
    const bad = await qvm('check', dir);
    expect(bad.code).toBe(1);
    expect(bad.stderr).toMatch(/10-bad\.policy:1: /);
    expect((await qvm('ls')).stdout).not.toContain('10-bad.policy');
    writeFileSync(join(dir, '10-bad.policy'), 'my.Service * work vault allow\n');
    mkdirSync(join(dir, 'include'), { recursive: true });
    expect((await qvm('import', dir)).code).toBe(0);
    expect((await qvm('eval', 'work', 'vault', 'my.Service')).code).toBe(0);
    expect((await qvm('rm', '10-bad.policy')).code).toBe(0);
    expect((await qvm('show', '10-bad.policy')).code).toBe(1);
  });

  it('refuses unknown subcommands as usage errors', async () => {
    expect((await qvm('frobnicate')).code).toBe(2);
  });
});
