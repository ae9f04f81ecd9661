/** Websocket edge cases: a cursor past the end of the event log, and the console of a VM that is not running. */
import request from 'supertest';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { seedTemplate, startServer, type TestServer } from '../../helpers/server.js';
import { until } from '../../helpers/until.js';

let server: TestServer;
const api = () => request(server.url);
const ws = (path: string) => new WebSocket(`${server.url.replace('http', 'ws')}${path}`);

beforeAll(async () => {
  server = await startServer();
  await seedTemplate(server.manager);
  await api().post('/api/v1/vms').send({ name: 'work', label: 'blue', template: 'fedora' }).expect(201);
});
afterAll(() => server.close());

/** Every message of a websocket, parsed, as it arrives. */
function collect(socket: WebSocket): { messages: unknown[]; closed: Promise<{ code: number; reason: string }> } {
  const messages: unknown[] = [];
  socket.on('message', (data) => messages.push(String(data)));
  const closed = new Promise<{ code: number; reason: string }>((resolve) => socket.on('close', (code, reason) => resolve({ code, reason: String(reason) })));
  return { messages, closed };
}

/** The HTTP status of a refused upgrade. */
function refusedUpgrade(socket: WebSocket): Promise<{ status: number; body: Record<string, unknown> }> {
  return new Promise((resolve, reject) => {
    socket.on('open', () => reject(new Error('the upgrade was accepted')));
    socket.on('unexpected-response', (_req, res) => {
      let text = '';
      res.on('data', (d: Buffer) => (text += d.toString()));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: JSON.parse(text) as Record<string, unknown> }));
    });
    socket.on('error', () => {});
  });
}

describe('the event websocket with since beyond the last id', () => {
  it('starts from the real last id and delivers the next events', async () => {
    const last = (await api().get('/api/v1/events')).body.last_id as number;
    const socket = ws(`/api/v1/events?since=${last + 1000}`);
    const { messages } = collect(socket);
    await until(async () => messages.length > 0, 'connection-established');
    expect(JSON.parse(String(messages[0]))).toEqual({ type: 'connection-established', last_id: last });
    await api().put('/api/v1/vms/work/tags/after').expect(204);
    await until(async () => messages.length > 1, 'the next event');
    expect(JSON.parse(String(messages[1]))).toMatchObject({ type: 'event', id: last + 1, event: 'domain-tag-add:after' });
    socket.close();
  });
});

describe('the console websocket', () => {
  it('refuses the upgrade of a halted VM with 409 INVALID_STATE', async () => {
    const res = await refusedUpgrade(ws('/api/v1/vms/work/console'));
    expect(res).toMatchObject({ status: 409, body: { code: 'INVALID_STATE', details: { state: 'halted' } } });
  });

  it('refuses the upgrade of a VM that does not exist with 404', async () => {
    const res = await refusedUpgrade(ws('/api/v1/vms/ghost/console'));
    expect(res).toMatchObject({ status: 404, body: { code: 'VM_NOT_FOUND' } });
  });

  it('follows a running VM: the tail first, then closes 1000 when the domain stops', async () => {
    await api().post('/api/v1/vms/work/start').expect(200);
    await until(async () => (await api().get('/api/v1/vms/work/console')).body.total_bytes > 0, 'boot output');
    const socket = ws('/api/v1/vms/work/console');
    const { messages, closed } = collect(socket);
    await until(async () => messages.length > 0, 'the tail');
    expect(messages.join('')).toBe((await api().get('/api/v1/vms/work/console')).body.data);
    await api().post('/api/v1/vms/work/kill').expect(200);
    expect(await closed).toEqual({ code: 1000, reason: 'domain stopped' });
  });
});
