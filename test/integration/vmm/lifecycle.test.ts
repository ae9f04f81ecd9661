import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../helpers/server.js';
import { until } from '../../helpers/until.js';

let server: TestServer;
const api = () => request(server.url);
let serial = 0;

async function createVm(kernel = 'base', extra: Record<string, unknown> = {}): Promise<string> {
  const name = `vm${serial++}`;
  await api().post('/api/v1/vms').send({ name, class: 'StandaloneVM', label: 'red', properties: { kernel, memory: 8, vcpus: 1, ...extra } }).expect(201);
  return name;
}

const state = async (name: string) => (await api().get(`/api/v1/vms/${name}`)).body.state as string;


/** A VM brought to `target` through the API. */
async function vmIn(target: string): Promise<string> {
  switch (target) {
    case 'halted':
      return createVm();
    case 'running': {
      const name = await createVm();
      await api().post(`/api/v1/vms/${name}/start`).expect(200);
      return name;
    }
    case 'paused': {
      const name = await vmIn('running');
      await api().post(`/api/v1/vms/${name}/pause`).expect(200);
      return name;
    }
    case 'crashed': {
      const name = await createVm('crash');
      await api().post(`/api/v1/vms/${name}/start`).expect(200);
      await until(async () => (await state(name)) === 'crashed', `${name} to crash`);
      return name;
    }
    case 'halting': {
      const name = await createVm('spin');
      await api().post(`/api/v1/vms/${name}/start`).expect(200);
      await api().post(`/api/v1/vms/${name}/shutdown`).send({ timeout: 600 }).expect(200);
      return name;
    }
  }
  throw new Error(target);
}

beforeAll(async () => {
  server = await startServer();
});
afterAll(() => server.close());

type Row = [from: string, action: string, status: number, to: string];
const TRANSITIONS: Row[] = [
  ['halted', 'start', 200, 'running'],
  ['halted', 'pause', 409, 'halted'],
  ['halted', 'unpause', 409, 'halted'],
  ['halted', 'shutdown', 409, 'halted'],
  ['halted', 'kill', 409, 'halted'],
  ['running', 'start', 409, 'running'],
  ['running', 'pause', 200, 'paused'],
  ['running', 'unpause', 409, 'running'],
  ['running', 'shutdown', 200, 'halted'],
  ['running', 'kill', 200, 'halted'],
  ['paused', 'start', 409, 'paused'],
  ['paused', 'pause', 409, 'paused'],
  ['paused', 'unpause', 200, 'running'],
  ['paused', 'shutdown', 409, 'paused'],
  ['paused', 'kill', 200, 'halted'],
  ['crashed', 'start', 200, 'crashed'],
  ['crashed', 'pause', 409, 'crashed'],
  ['crashed', 'unpause', 409, 'crashed'],
  ['crashed', 'shutdown', 409, 'crashed'],
  ['crashed', 'kill', 409, 'crashed'],
  ['halting', 'start', 409, 'halting'],
  ['halting', 'pause', 409, 'halting'],
  ['halting', 'unpause', 409, 'halting'],
  ['halting', 'shutdown', 409, 'halting'],
  ['halting', 'kill', 200, 'halted'],
];

describe('lifecycle transitions through the API', () => {
  it.each(TRANSITIONS)('%s + %s → %i, %s', async (from, action, status, to) => {
    const name = await vmIn(from);
    expect(await state(name)).toBe(from);
    const body = action === 'shutdown' ? { wait: true } : undefined;
    const res = await api().post(`/api/v1/vms/${name}/${action}`).send(body);
    expect(res.status).toBe(status);
    if (status === 409) {
      expect(res.body).toMatchObject({ code: 'INVALID_STATE', details: { state: from } });
      expect(await state(name)).toBe(from);
    } else if (from === 'crashed') {
      // the crash guest starts and crashes again
      await until(async () => (await state(name)) === 'crashed', 'the crash guest to crash again');
    } else {
      expect(await state(name)).toBe(to);
    }
    await api().post(`/api/v1/vms/${name}/kill`);
  });

  it('refuses lifecycle actions on dom0 and on missing VMs', async () => {
    expect((await api().post('/api/v1/vms/dom0/start').expect(409)).body.code).toBe('INVALID_STATE');
    expect((await api().post('/api/v1/vms/ghost/start').expect(404)).body.code).toBe('VM_NOT_FOUND');
  });
});

describe('events and state', () => {
  const lastId = async () => (await api().get('/api/v1/events')).body.last_id as number;
  const eventsOf = async (since: number, name: string) =>
    ((await api().get(`/api/v1/events?since=${since}`)).body.events as { event: string; subject: string }[])
      .filter((e) => e.subject === name)
      .map((e) => e.event);

  it('emits Qubes events in Qubes order for start, pause, unpause and shutdown', async () => {
    const name = await createVm();
    const since = await lastId();
    await api().post(`/api/v1/vms/${name}/start`).expect(200);
    await api().post(`/api/v1/vms/${name}/pause`).expect(200);
    await api().post(`/api/v1/vms/${name}/unpause`).expect(200);
    const res = await api().post(`/api/v1/vms/${name}/shutdown`).send({ wait: true }).expect(200);
    expect(res.body.state).toBe('halted');
    expect(await eventsOf(since, name)).toEqual([
      'domain-pre-start', 'domain-spawn', 'domain-start',
      'domain-pre-paused', 'domain-paused',
      'domain-pre-unpaused', 'domain-unpaused',
      'domain-pre-shutdown', 'domain-stopped', 'domain-shutdown',
    ]);
    const console = (await api().get(`/api/v1/vms/${name}/console`)).body;
    expect(console.data).toBe(`${name}: idle kernel up\nidle: shutting down\n`);
  });

  it('starts a VM once for 100 concurrent starts', async () => {
    const name = await createVm();
    const since = await lastId();
    const statuses = await Promise.all(Array.from({ length: 100 }, () => api().post(`/api/v1/vms/${name}/start`).then((r) => r.status)));
    expect(statuses.filter((s) => s === 200)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(99);
    expect((await eventsOf(since, name)).filter((e) => e === 'domain-start')).toHaveLength(1);
    expect((await api().get(`/api/v1/vms/${name}/stats`)).body.domid).toBeGreaterThan(0);
    await api().post(`/api/v1/vms/${name}/kill`).expect(200);
  });

  it('persists the power state so the list filters by it', async () => {
    const name = await vmIn('running');
    const running = (await api().get('/api/v1/vms?state=running')).body.items.map((v: { name: string }) => v.name);
    expect(running).toContain(name);
    await api().post(`/api/v1/vms/${name}/kill`).expect(200);
    expect((await api().get('/api/v1/vms?state=running')).body.items.map((v: { name: string }) => v.name)).not.toContain(name);
  });

  it('refuses to remove or rename a running VM, and to change its memory', async () => {
    const name = await vmIn('running');
    expect((await api().delete(`/api/v1/vms/${name}`).expect(409)).body.code).toBe('INVALID_STATE');
    expect((await api().patch(`/api/v1/vms/${name}`).send({ name: 'other' }).expect(409)).body.code).toBe('INVALID_STATE');
    expect((await api().patch(`/api/v1/vms/${name}`).send({ memory: 16 }).expect(409)).body.code).toBe('INVALID_STATE');
    await api().patch(`/api/v1/vms/${name}`).send({ label: 'green' }).expect(200);
    await api().post(`/api/v1/vms/${name}/kill`).expect(200);
    await api().delete(`/api/v1/vms/${name}`).expect(204);
  });
});

describe('guests that misbehave', () => {
  it('ends a faulting guest as crashed with the reason in its events and stats; others keep running', async () => {
    const spinner = await createVm('spin');
    await api().post(`/api/v1/vms/${spinner}/start`).expect(200);
    const since = (await api().get('/api/v1/events')).body.last_id;
    const name = await createVm('crash');
    await api().post(`/api/v1/vms/${name}/start`).expect(200);
    await until(async () => (await state(name)) === 'crashed', 'the crash');
    const events = (await api().get(`/api/v1/events?since=${since}`)).body.events.filter((e: { subject: string }) => e.subject === name);
    const stopped = events.find((e: { event: string }) => e.event === 'domain-stopped');
    expect(stopped.payload).toMatchObject({ reason: 'crashed', cause: 7, tval: 16 });
    expect(stopped.payload.detail).toMatch(/unhandled fault \(mcause 7\) at pc 0x8000[0-9a-f]{4}, tval 0x00000010/);
    const stats = (await api().get(`/api/v1/vms/${name}/stats`)).body;
    expect(stats.last_exit).toMatchObject({ kind: 'crashed', cause: 7, tval: 16 });
    const before = (await api().get(`/api/v1/vms/${spinner}/stats`)).body.instructions;
    await until(async () => (await api().get(`/api/v1/vms/${spinner}/stats`)).body.instructions > before, 'the other VM to go on');
    expect(await state(spinner)).toBe('running');
    await api().post(`/api/v1/vms/${spinner}/kill`).expect(200);
  });

  it('kills an endless-loop guest when the shutdown timeout passes', async () => {
    const name = await createVm('spin', { shutdown_timeout: 1 });
    await api().post(`/api/v1/vms/${name}/start`).expect(200);
    const since = (await api().get('/api/v1/events')).body.last_id;
    const res = await api().post(`/api/v1/vms/${name}/shutdown`).send({ wait: true }).expect(200);
    expect(res.body.state).toBe('halted');
    const events = (await api().get(`/api/v1/events?since=${since}`)).body.events.filter((e: { subject: string }) => e.subject === name);
    expect(events.map((e: { event: string }) => e.event)).toEqual(['domain-pre-shutdown', 'domain-stopped', 'domain-shutdown']);
    expect(events[1].payload.reason).toBe('shutdown timeout');
  });

  it('lets a guest that observes the request shut down by itself', async () => {
    const name = await vmIn('running');
    const res = await api().post(`/api/v1/vms/${name}/shutdown`).send({ wait: true, timeout: 30 }).expect(200);
    expect(res.body.state).toBe('halted');
    expect((await api().get(`/api/v1/vms/${name}/stats`)).body.last_exit).toEqual({ kind: 'shutdown', status: 0 });
  });
});

describe('console and stats', () => {
  it('keeps the guest output, bounded by console_buffer', async () => {
    const name = await createVm('base', { console_buffer: 1024 });
    await api().post(`/api/v1/vms/${name}/start`).expect(200);
    await until(async () => (await api().get(`/api/v1/vms/${name}/console`)).body.total_bytes > 0, 'console output');
    const out = (await api().get(`/api/v1/vms/${name}/console`)).body;
    expect(out).toEqual({ data: `${name}: idle kernel up\n`, total_bytes: name.length + 17, dropped_bytes: 0 });
    expect((await api().get(`/api/v1/vms/${name}/console?tail=5`)).body.data).toBe('l up\n');
    const stats = (await api().get(`/api/v1/vms/${name}/stats`)).body;
    expect(stats).toMatchObject({ state: 'running', memory_bytes: 8 * 1024 * 1024, syscalls: { '64': 2 } });
    expect(stats.instructions).toBeGreaterThan(0);
    expect(stats.memory_touched_bytes).toBeGreaterThan(0);
    expect(stats.memory_touched_bytes).toBeLessThan(64 * 1024);
    expect(stats.vcpus[0].state).toBe('blocked');
    await api().post(`/api/v1/vms/${name}/kill`).expect(200);
  });
});
