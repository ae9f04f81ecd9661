/**
 * A stop signalled to the whole process group (Ctrl-C at a terminal, systemd's KillMode=control-group)
 * is as clean as one signalled to the manager alone: `npm start` suspends its on_host_stop=suspend VM,
 * writes the file and lets go of the data directory.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { lockDataDir } from '../../../src/data-lock.js';
import { until } from '../../helpers/until.js';

const ROOT = new URL('../../../', import.meta.url).pathname;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** `npm start` in a process group of its own; the signal goes to the whole group, as a terminal sends it. */
async function stopGroup(signal: NodeJS.Signals): Promise<{ state: string; snapshots: number; released: boolean; code: number | null }> {
  const dir = mkdtempSync(join(tmpdir(), 'cella-graceful-'));
  const port = await freePort();
  const child = spawn('npm', ['start'], {
    cwd: ROOT,
    detached: true,
    env: { ...process.env, CELLA_DATA: dir, CELLA_PORT: String(port), CELLA_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'ignore'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  try {
    const api = () => request(`http://127.0.0.1:${port}`);
    await until(async () => (await api().get('/healthz').catch(() => null))?.status === 200, 'the manager to answer', 30_000);
    await api().post('/api/v1/vms').send({ name: 'w', class: 'StandaloneVM', label: 'red', properties: { memory: 16, on_host_stop: 'suspend' } }).expect(201);
    await api().post('/api/v1/vms/w/start').expect(200);
    process.kill(-child.pid!, signal);
    const code = await exited;
    // the whole group is gone, not only npm
    await until(() => { try { process.kill(-child.pid!, 0); return false; } catch { return true; } }, 'the process group to end', 20_000);
    const db = new BetterSqlite3(join(dir, 'cella.db'), { readonly: true });
    const state = (db.prepare("SELECT power_state FROM vm WHERE name = 'w'").get() as { power_state: string }).power_state;
    const snapshots = (db.prepare('SELECT count(*) AS n FROM snapshot').get() as { n: number }).n;
    db.close();
    // the lock is the kernel's record lock on manager.lock (the file stays): released if another manager can take it
    const released = await lockDataDir(dir).then(
      async (release) => (await release(), true),
      () => false,
    );
    return { state, snapshots, released, code };
  } finally {
    try { process.kill(-child.pid!, 'SIGKILL'); } catch { /* already gone */ }
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('a stop signalled to the whole process group', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)('%s: the on_host_stop=suspend VM is suspended into a file and the lock is released', async (signal) => {
    const r = await stopGroup(signal);
    expect(r).toMatchObject({ state: 'suspended', snapshots: 1, released: true });
  });
});
