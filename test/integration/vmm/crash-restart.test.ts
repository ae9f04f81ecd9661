/**
 * A SIGKILL of the real manager process (`npm start`'s entry) in the middle of a suspend, and a
 * restart right after it on the same data directory, as systemd does: the new manager starts at
 * once (the dead one's lock went with it), the unfinished `.part` file is gone, and a file without
 * an index entry is listed as an orphan and removed with `qvm snapshot rm`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { copyFileSync, existsSync, mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import WebSocket from 'ws';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../helpers/cli.js';
import { until } from '../../helpers/until.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'cella-crash-'));
const snapshots = join(dir, 'snapshots');
const children: ChildProcess[] = [];
afterAll(() => {
  for (const c of children) c.kill('SIGKILL');
  rmSync(dir, { recursive: true, force: true });
});

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

interface Running {
  child: ChildProcess;
  exited: Promise<number | null>;
  stderr: () => string;
}

/** The manager as `npm start` runs it, on `dir`; resolves once it answers /healthz, fails if it exits first. */
async function startManager(port: number): Promise<Running> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, CELLA_DATA: dir, CELLA_PORT: String(port), CELLA_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  children.push(child);
  let err = '';
  child.stderr!.on('data', (b: Buffer) => (err += b.toString()));
  let code: number | null | undefined;
  const exited = new Promise<number | null>((resolve) => child.on('exit', (c) => resolve((code = c))));
  await until(async () => {
    if (code !== undefined) throw new Error(`the manager exited with ${code}: ${err}`);
    return (await request(`http://127.0.0.1:${port}`).get('/healthz').catch(() => null))?.status === 200;
  }, 'the manager to answer', 30_000);
  return { child, exited, stderr: () => err };
}

/** Streams `bytes` into the file `path` of VM `name`'s in-memory file system (its shell's `cat >`), so that its suspend file is large. */
async function fillFile(port: number, name: string, path: string, bytes: number): Promise<void> {
  const ws = new WebSocket(`ws://127.0.0.1:${port}/api/v1/vms/${name}/qrexec?command=${encodeURIComponent(`cat > ${path}`)}`);
  let end: unknown = null;
  const closed = new Promise<void>((resolve) => ws.on('close', () => resolve()));
  ws.on('message', (data: Buffer, isBinary) => {
    if (!isBinary) end = JSON.parse(String(data));
  });
  await new Promise((resolve) => ws.on('open', resolve));
  const chunk = Buffer.alloc(64 * 1024).map((_, i) => (i * 131 + 7) & 0xff);
  for (let sent = 0; sent < bytes; sent += chunk.length) ws.send(chunk);
  ws.send('EOF');
  await closed;
  expect(end).toEqual({ exit_code: 0, error: null });
}

const parts = () => readdirSync(snapshots).filter((f) => f.endsWith('.part'));

describe('a SIGKILL of the manager during a suspend', () => {
  it('leaves a restart that starts at once, removes the .part file, and lists a file without an index entry as an orphan until qvm snapshot rm', async () => {
    const port = await freePort();
    const api = () => request(`http://127.0.0.1:${port}`);
    let manager = await startManager(port);
    await api().post('/api/v1/vms').send({ name: 'big', class: 'StandaloneVM', label: 'red', properties: { memory: 64 } }).expect(201);
    await api().post('/api/v1/vms/big/start').expect(200);
    await fillFile(port, 'big', '/fill', 48 * 1024 * 1024);

    // killed while the file is being written
    void api().post('/api/v1/vms/big/suspend').send({}).then(() => undefined, () => undefined);
    await until(() => existsSync(snapshots) && parts().length > 0, 'the suspend to be writing its .part file', 30_000);
    manager.child.kill('SIGKILL');
    await manager.exited;
    expect(parts()).toHaveLength(1);

    // right away, as systemd restarts it: no wait for a lock to go stale
    manager = await startManager(port);
    expect(parts()).toEqual([]);
    expect(manager.stderr()).not.toMatch(/another Cella manager/);
    expect((await api().get('/api/v1/vms/big').expect(200)).body.state).toBe('halted');

    // a whole file with no index entry (a crash between its rename and the index, or a file brought from another host)
    await api().post('/api/v1/vms').send({ name: 'small', class: 'StandaloneVM', label: 'red', properties: { memory: 8 } }).expect(201);
    await api().post('/api/v1/vms/small/start').expect(200);
    const snap = (await api().post('/api/v1/vms/small/suspend').send({ file: 'small.cella' }).expect(200)).body.snapshot;
    copyFileSync(join(snapshots, snap.file), join(snapshots, 'copied.cella'));
    manager.child.kill('SIGKILL');
    await manager.exited;
    manager = await startManager(port);
    const listed = (await api().get('/api/v1/snapshots').expect(200)).body;
    expect(listed.snapshots.map((s: { id: string }) => s.id)).toEqual([snap.id]);
    expect(listed.orphans).toEqual([{ file: 'copied.cella', bytes: snap.bytes, modified_at: expect.any(String) }]);
    const env = { CELLA_URL: `http://127.0.0.1:${port}` };
    expect((await runCli('qvm', ['snapshot', 'ls'], env)).stdout).toMatch(/^copied\.cella\s+-\s+[\d.]+ KiB\s+\S+Z\s+orphan\s+-$/m);
    expect(await runCli('qvm', ['snapshot', 'rm', 'copied.cella'], env)).toEqual({ code: 0, stdout: '', stderr: '' });
    expect(readdirSync(snapshots).sort()).toEqual(['small.cella']);
    expect((await api().get('/api/v1/snapshots').expect(200)).body.orphans).toEqual([]);
    // the VM suspended before the kill is still suspended into its file, and resumes
    expect((await api().get('/api/v1/vms/small').expect(200)).body.state).toBe('suspended');
    expect((await api().post('/api/v1/vms/small/resume').send({}).expect(200)).body.state).toBe('running');

    manager.child.kill('SIGTERM');
    expect(await manager.exited).toBe(0);
  }, 120_000);
});
