import { setTimeout as wait } from 'node:timers/promises';
import request from 'supertest';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../helpers/server.js';
import { until } from '../../helpers/until.js';

let server: TestServer;
const api = () => request(server.url);
const state = async (name: string): Promise<string> => (await api().get(`/api/v1/vms/${name}`).expect(200)).body.state;

/** Until VM `name` is in state `wanted` (the test fails after 8 s). */
const reaches = (name: string, wanted: string) => until(async () => (await state(name)) === wanted, `${name} to be ${wanted}`, 8000);

async function vm(name: string, properties: Record<string, unknown>): Promise<void> {
  await api().post('/api/v1/vms').send({ name, class: 'StandaloneVM', label: 'red', properties: { memory: 8, ...properties } }).expect(201);
  await api().post(`/api/v1/vms/${name}/start`).expect(200);
}

const echo = (name: string, text: string, autostart = true) =>
  api().post(`/api/v1/vms/${name}/qrexec`).send({ service: 'cella.Echo', stdin: Buffer.from(text).toString('base64'), autostart });

beforeAll(async () => {
  // idle VMs are looked for every 50 ms (1 s by default)
  server = await startServer({ manager: { autosuspendTickMs: 50 } });
});
afterAll(() => server.close());

describe('autosuspend_idle_s', () => {
  it('suspends a VM idle that long, with reason idle, and leaves busy VMs and VMs without it running', async () => {
    await vm('sleepy', { autosuspend_idle_s: 1 });
    await vm('busy', { autosuspend_idle_s: 1, kernel: 'spin' });
    await vm('awake', {});
    const t0 = Date.now();
    await reaches('sleepy', 'suspended');
    // not before it was idle for its second
    expect(Date.now() - t0).toBeGreaterThanOrEqual(900);
    await wait(1500);
    expect([await state('busy'), await state('awake')]).toEqual(['running', 'running']);
    const events = (await api().get('/api/v1/events?since=0&limit=1000')).body.events as { event: string; subject: string; payload: Record<string, unknown> }[];
    expect(events.find((e) => e.event === 'domain-pre-suspend' && e.subject === 'sleepy')?.payload).toMatchObject({ reason: 'idle' });
    expect(events.some((e) => e.event === 'domain-pre-suspend' && e.subject !== 'sleepy')).toBe(false);
    await api().post('/api/v1/vms/busy/kill').expect(200);
  });

  it('resumes a suspended VM for a call from dom0, unless autostart is off', async () => {
    expect(await state('sleepy')).toBe('suspended');
    const refused = await echo('sleepy', 'no', false).expect(409);
    expect(refused.body).toMatchObject({ code: 'INVALID_STATE', detail: 'sleepy is suspended (and autostart is off)' });
    expect(await state('sleepy')).toBe('suspended');

    const res = await echo('sleepy', 'wake up').expect(200);
    expect([res.body.exit_code, Buffer.from(res.body.stdout, 'base64').toString()]).toEqual([0, 'wake up']);
    expect(await state('sleepy')).toBe('running');
    // and once idle again it goes back to sleep
    await reaches('sleepy', 'suspended');
  });

  it('resumes a suspended target of a call from a VM when the policy allows autostart, and refuses it when not', async () => {
    await vm('caller', {});
    await api().put('/api/v1/policy/files/30-autosuspend.policy').send({ content: 'cella.Echo * caller sleepy allow\ncella.Echo * caller awake allow autostart=no\n' }).expect(200);
    const call = (target: string) =>
      api().post('/api/v1/vms/caller/qrexec').send({ command: `qrexec-client-vm ${target} cella.Echo`, stdin: Buffer.from(`to ${target}`).toString('base64') }).expect(200);

    expect(await state('sleepy')).toBe('suspended');
    const woke = await call('sleepy');
    expect([woke.body.exit_code, Buffer.from(woke.body.stdout, 'base64').toString()]).toEqual([0, 'to sleepy']);
    expect(await state('sleepy')).toBe('running');

    await api().post('/api/v1/vms/awake/suspend').send({}).expect(200);
    const refused = await call('awake');
    expect(refused.body.exit_code).toBe(126);
    expect(await state('awake')).toBe('suspended');
    const events = (await api().get('/api/v1/events?since=0&limit=1000')).body.events as { event: string; subject: string; payload: Record<string, unknown> }[];
    const last = events.filter((e) => e.event === 'qrexec-call' && e.subject === 'caller').at(-1)!;
    expect(last.payload).toMatchObject({ target: 'awake', exit_code: 126, error: 'target awake is denied because it would require autostart' });
  });

  it('does not suspend a VM while a qrexec call to it is open, however quiet', async () => {
    // (suspended again by now or not: the call resumes it)
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/api/v1/vms/sleepy/qrexec?service=cella.Echo&autostart=true`);
    await new Promise((resolve) => ws.on('open', resolve));
    await reaches('sleepy', 'running');
    const ended = new Promise((resolve) => ws.on('close', resolve));
    await wait(2000);
    expect(await state('sleepy')).toBe('running');
    ws.send('EOF');
    await ended;
    await reaches('sleepy', 'suspended');
  });

  it('refuses a value out of range and keeps the old one', async () => {
    const res = await api().patch('/api/v1/vms/awake').send({ autosuspend_idle_s: -1 }).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect((await api().get('/api/v1/vms/awake').expect(200)).body.autosuspend_idle_s).toBe(0);
  });
});
