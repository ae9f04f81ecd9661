/**
 * on_host_stop with the real manager process (`npm start`'s entry): SIGTERM suspends, kills or shuts
 * down each running VM as it asks, and the next start resumes the suspended ones.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { afterAll, describe, expect, it } from 'vitest';
import { until } from '../../helpers/until.js';
import { expectedConsoles, makePingPong } from '../../helpers/ping-pong.js';

const ROOT = new URL('../../../', import.meta.url).pathname;
const dir = mkdtempSync(join(tmpdir(), 'cella-host-stop-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** The manager as `npm start` runs it, on `dir`; resolves once it answers /healthz. */
async function startManager(port: number): Promise<{ child: ChildProcess; exited: Promise<number | null> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, CELLA_DATA: dir, CELLA_PORT: String(port), CELLA_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  await until(async () => (await request(`http://127.0.0.1:${port}`).get('/healthz').catch(() => null))?.status === 200, 'the manager to answer', 30_000);
  return { child, exited };
}

describe('on_host_stop', () => {
  it('on SIGTERM suspends, kills or shuts down each VM as it asks; the next start resumes the suspended one where it was', async () => {
    const port = await freePort();
    const api = () => request(`http://127.0.0.1:${port}`);
    const first = await startManager(port);
    for (const [name, how] of [['hs', 'suspend'], ['ks', 'kill'], ['ss', null]] as const) {
      await api().post('/api/v1/vms').send({ name, class: 'StandaloneVM', label: 'red', properties: { memory: 8, ...(how ? { on_host_stop: how } : {}) } }).expect(201);
      await api().post(`/api/v1/vms/${name}/start`).expect(200);
    }
    // two guests talking through an event channel and a granted page, both to be suspended
    const rounds = 200_000;
    await makePingPong(api, 'ping', 'pong', rounds, { on_host_stop: 'suspend' });
    await api().post('/api/v1/vms/pong/start').expect(200);
    await api().post('/api/v1/vms/ping/start').expect(200);
    expect((await api().get('/api/v1/vms/ss').expect(200)).body.on_host_stop).toBe('shutdown');
    expect((await api().patch('/api/v1/vms/ss').send({ on_host_stop: 'sleep' }).expect(400)).body).toMatchObject({ code: 'VALIDATION_FAILED', detail: expect.stringMatching(/on_host_stop/) });
    // something only the running kernel holds: a file in its in-memory filesystem
    expect((await api().post('/api/v1/vms/hs/qrexec').send({ command: 'echo kept across the stop > /note' }).expect(200)).body.exit_code).toBe(0);
    const since = (await api().get('/api/v1/events?since=0&limit=1000').expect(200)).body.last_id as number;
    first.child.kill('SIGTERM');
    expect(await first.exited).toBe(0);

    const second = await startManager(port);
    try {
      const states = Object.fromEntries(((await api().get('/api/v1/vms').expect(200)).body.items as { name: string; state: string }[]).map((v) => [v.name, v.state]));
      expect(states).toMatchObject({ hs: 'running', ks: 'halted', ss: 'halted', ping: 'running', pong: 'running' });
      const note = (await api().post('/api/v1/vms/hs/qrexec').send({ command: 'cat /note' }).expect(200)).body;
      expect(Buffer.from(note.stdout, 'base64').toString()).toBe('kept across the stop\n');
      // the file of the stop went with the resume of its VMs: nobody asked for it, nobody can resume from it again
      expect((await api().get('/api/v1/snapshots').expect(200)).body).toEqual({ snapshots: [], orphans: [] });
      expect(readdirSync(join(dir, 'snapshots'))).toEqual([]);
      const halted = async (n: string) => (await api().get(`/api/v1/vms/${n}`)).body.state === 'halted';
      await until(async () => (await halted('ping')) && (await halted('pong')), 'ping and pong to finish', 60_000);
      const want = expectedConsoles(rounds);
      expect((await api().get('/api/v1/vms/ping/console')).body.data).toBe(want.ping);
      expect((await api().get('/api/v1/vms/pong/console')).body.data).toBe(want.pong);
      const events = (await api().get(`/api/v1/events?since=${since}&limit=1000`).expect(200)).body.events as { event: string; subject: string; payload: Record<string, unknown> }[];
      const of = (vm: string) => events.filter((e) => e.subject === vm).map((e) => e.event);
      expect(of('hs')).toEqual(['domain-pre-suspend', 'domain-suspended', 'domain-pre-resume', 'domain-resumed']);
      expect(of('ks')).toEqual(['domain-stopped', 'domain-shutdown']);
      expect(events.find((e) => e.subject === 'ks')?.payload.reason).toBe('killed');
      expect(of('ss')).toEqual(['domain-pre-shutdown', 'domain-stopped', 'domain-shutdown']);
      expect(events.find((e) => e.subject === 'hs' && e.event === 'domain-pre-suspend')?.payload.reason).toBe('host-stop');
      // one instant, one file: the channel and the grant between ping and pong came back with them
      const files = new Set(events.filter((e) => e.event === 'domain-pre-suspend').map((e) => String(e.payload.snapshot)));
      expect(events.filter((e) => e.event === 'domain-pre-suspend').map((e) => e.subject).sort()).toEqual(['hs', 'ping', 'pong']);
      expect(files.size).toBe(1);
      expect(events.filter((e) => e.event === 'snapshot-delete').map((e) => e.payload.snapshot)).toEqual([...files]);
    } finally {
      second.child.kill('SIGTERM');
      expect(await second.exited).toBe(0);
    }
  }, 90_000);
});
