import { execFile } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEntry, runCli } from '../../helpers/cli.js';
import { startServer, type TestServer } from '../../helpers/server.js';
import { until } from '../../helpers/until.js';

let server: TestServer;
let env: Record<string, string>;
const qvm = (name: string, ...args: string[]) => runCli(name, args, env);
const state = async (name: string) => ((await (await fetch(`${server.url}/api/v1/vms/${name}`)).json()) as { state: string }).state;
const snapshots = async () => ((await (await fetch(`${server.url}/api/v1/snapshots`)).json()) as { snapshots: { id: string; vms: { name: string }[]; suspended: string[] }[] }).snapshots;

/** Until VM `name` is in state `wanted` (the test fails after 5 s). */
const reaches = (name: string, wanted: string) => until(async () => (await state(name)) === wanted, `${name} to be ${wanted}`, 5000);

beforeAll(async () => {
  server = await startServer();
  env = { CELLA_URL: server.url };
  for (const name of ['a', 'b', 'c', 'off']) {
    expect((await qvm('qvm-create', name, '-C', 'StandaloneVM', '-l', 'red', '--prop', 'memory=8')).code).toBe(0);
  }
  expect((await qvm('qvm-start', 'a', 'b', 'c')).code).toBe(0);
});
afterAll(() => server.close());

describe('qvm-suspend, qvm-resume and qvm snapshot', () => {
  it('suspends one VM with --wait, lists its snapshot, refuses to remove it while suspended, resumes it', async () => {
    const s = await qvm('qvm-suspend', '--wait', 'a');
    expect(s.code).toBe(0);
    // no terminal: no progress bar, only the snapshot id
    expect(s.stderr).toBe('');
    const id = s.stdout.trim();
    expect(id).toMatch(/^a-\d{8}T\d{6}Z-[0-9a-f]{4}$/);
    expect(await state('a')).toBe('suspended');
    expect((await qvm('qvm-ls', '--raw-data', '--fields', 'name,state', 'a')).stdout).toBe('a|Suspended\n');

    const ls = await qvm('qvm', 'snapshot', 'ls');
    expect(ls.code).toBe(0);
    expect(ls.stdout.split('\n')[0]).toMatch(/^ID\s+VMS\s+SIZE\s+CREATED\s+REASON\s+SUSPENDED$/);
    expect(ls.stdout).toMatch(new RegExp(`^${id}\\s+a\\s+[\\d.]+ KiB\\s+\\S+Z\\s+request\\s+a$`, 'm'));
    const json = JSON.parse((await qvm('qvm', 'snapshot', 'ls', '--json')).stdout);
    expect(json[0]).toMatchObject({ id, suspended: ['a'], format_version: 2, reason: 'request' });

    const rm = await qvm('qvm', 'snapshot', 'rm', id);
    expect(rm.code).toBe(1);
    expect(rm.stderr).toMatch(/a is suspended into snapshot/);

    expect(await qvm('qvm-resume', '--wait', 'a')).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(await state('a')).toBe('running');
    // a file nobody named and nobody can resume from any more goes with the resume
    expect((await snapshots()).map((x) => x.id)).not.toContain(id);
    expect(await qvm('qvm', 'snapshot', 'rm', id)).toEqual({ code: 1, stdout: '', stderr: `qvm-snapshot: error: no such snapshot: '${id}'\n` });
  });

  it('suspends VMs named together into one file, returning once they are stopped without --wait', async () => {
    const s = await qvm('qvm-suspend', 'b', 'c');
    expect(s.code).toBe(0);
    expect(['suspending', 'suspended']).toContain(await state('b'));
    await reaches('b', 'suspended');
    await reaches('c', 'suspended');
    const group = (await snapshots()).find((x) => x.vms.length === 2)!;
    expect(group.vms.map((v) => v.name)).toEqual(['b', 'c']);
    expect(group.suspended).toEqual(['b', 'c']);

    // --all resumes what is suspended; without --wait it returns once each resume has begun
    expect((await qvm('qvm-resume', '--all')).code).toBe(0);
    await reaches('b', 'running');
    await reaches('c', 'running');
  });

  it('suspends --all less --exclude as a group, and resumes a whole snapshot with --snapshot', async () => {
    const s = await qvm('qvm-suspend', '--all', '--exclude', 'a', '--wait', '--file', 'pair.cella');
    expect(s.code).toBe(0);
    const id = s.stdout.trim();
    const row = (await snapshots()).find((x) => x.id === id)!;
    expect(row.vms.map((v) => v.name)).toEqual(['b', 'c']);
    expect(await state('a')).toBe('running');
    expect(await qvm('qvm-resume', '--wait', '--snapshot', id)).toEqual({ code: 0, stdout: '', stderr: '' });
    expect([await state('b'), await state('c')]).toEqual(['running', 'running']);
  });

  it('draws a progress bar on a terminal', async () => {
    const out = await new Promise<string>((resolve) => {
      const command = `${process.execPath} ${cliEntry('qvm-suspend')} --wait a`;
      execFile('script', ['-qec', command, '/dev/null'], { env: { ...process.env, ...env, TERM: 'xterm' }, timeout: 30_000 }, (_err, stdout) => resolve(stdout));
    });
    expect(out).toMatch(/suspending a \[=+\] 100% \| ([\d.]+ KiB) of \1/);
    expect(await state('a')).toBe('suspended');
    expect((await qvm('qvm-resume', '--wait', 'a')).code).toBe(0);
  });

  it('gives usage errors exit 2 and refusals exit 1, with the reason', async () => {
    expect((await qvm('qvm-suspend')).code).toBe(2);
    expect((await qvm('qvm-suspend', '--exclude', 'a')).code).toBe(2);
    expect((await qvm('qvm-suspend', '--all', 'a')).code).toBe(2);
    expect((await qvm('qvm-resume', '--snapshot', 'x', 'a')).code).toBe(2);
    const off = await qvm('qvm-suspend', '--wait', 'off');
    expect(off.code).toBe(1);
    expect(off.stderr).toBe('qvm-suspend: error: Domain is powered off\n');
    const notSuspended = await qvm('qvm-resume', 'a');
    expect(notSuspended.code).toBe(1);
    expect(notSuspended.stderr).toMatch(/^qvm-resume: error: a: /);
    const ghost = await qvm('qvm', 'snapshot', 'rm', 'nope');
    expect(ghost).toMatchObject({ code: 1, stderr: "qvm-snapshot: error: no such snapshot: 'nope'\n" });
    // without --wait too, a resume the file refuses is reported: the resume begins only once the file is verified
    const id = (await qvm('qvm-suspend', '--wait', '--file', 'damaged.cella', 'a')).stdout.trim();
    const path = `${server.dir}/snapshots/damaged.cella`;
    const whole = readFileSync(path);
    const bad = Buffer.from(whole);
    bad[bad.length >> 1] ^= 0xff;
    writeFileSync(path, bad);
    const damaged = await qvm('qvm-resume', 'a');
    expect(damaged.code).toBe(1);
    expect(damaged.stderr).toMatch(/^qvm-resume: error: a: snapshot .*damaged\.cella/);
    expect(await state('a')).toBe('suspended');
    writeFileSync(path, whole);
    expect((await qvm('qvm-resume', 'a')).code).toBe(0);
    await reaches('a', 'running');
    const nobody = await qvm('qvm-resume', '--snapshot', id);
    expect(nobody).toMatchObject({ code: 1, stderr: `qvm-resume: error: no VM is suspended into snapshot ${id}\n` });

    const badFile = await qvm('qvm-suspend', '--file', '../x.cella', 'a');
    expect(badFile.code).toBe(1);
    expect(await state('a')).toBe('running');
  });
});
