import WebSocket from 'ws';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../helpers/server.js';

let server: TestServer;
const api = () => request(server.url);

interface StreamEvent {
  type: string;
  id: number;
  event: string;
  subject: string | null;
  payload: Record<string, unknown>;
  last_id?: number;
}

/** A real websocket client that records every message. */
class EventClient {
  readonly messages: StreamEvent[] = [];
  private readonly ws: WebSocket;
  readonly opened: Promise<void>;
  private waiters: (() => void)[] = [];

  constructor(since?: number) {
    const query = since === undefined ? '' : `?since=${since}`;
    this.ws = new WebSocket(`${server.url.replace('http', 'ws')}/api/v1/events${query}`);
    this.ws.on('message', (data) => {
      this.messages.push(JSON.parse(String(data)) as StreamEvent);
      this.waiters.forEach((w) => w());
    });
    this.opened = new Promise((resolve, reject) => {
      this.ws.once('open', () => resolve());
      this.ws.once('error', reject);
    });
  }

  get events(): StreamEvent[] {
    return this.messages.filter((m) => m.type === 'event');
  }

  /** Resolves once an event with id ≥ `id` has arrived (bounded wait). */
  async until(id: number, ms = 10_000): Promise<void> {
    const deadline = Date.now() + ms;
    while (!this.events.some((e) => e.id >= id)) {
      if (Date.now() > deadline) throw new Error(`no event ${id} within ${ms} ms; last ${this.events.at(-1)?.id}`);
      await new Promise<void>((resolve) => {
        this.waiters.push(resolve);
        setTimeout(resolve, 50);
      });
      this.waiters = [];
    }
  }

  close(): Promise<void> {
    return new Promise((resolve) => {
      if (this.ws.readyState === WebSocket.CLOSED) return resolve();
      this.ws.once('close', () => resolve());
      this.ws.close();
    });
  }
}

beforeAll(async () => {
  server = await startServer();
  await api().post('/api/v1/vms').send({ name: 'fedora', class: 'TemplateVM', label: 'black' }).expect(201);
  await api().post('/api/v1/vms').send({ name: 'work', label: 'blue', template: 'fedora' }).expect(201);
});
afterAll(() => server.close());

const lastId = async () => (await api().get('/api/v1/events')).body.last_id as number;

describe('event history', () => {
  it('returns events after a cursor, oldest first, with a cursor to go on from', async () => {
    const all = (await api().get('/api/v1/events?since=0').expect(200)).body;
    expect(all.events.map((e: StreamEvent) => e.event)).toEqual(['domain-add', 'domain-add']);
    expect(all.last_id).toBe(all.events[1].id);
    const after = (await api().get(`/api/v1/events?since=${all.events[0].id}`).expect(200)).body;
    expect(after.events.map((e: StreamEvent) => e.id)).toEqual([all.events[1].id]);
    const page = (await api().get('/api/v1/events?since=0&limit=1').expect(200)).body;
    expect(page).toMatchObject({ events: [{ id: all.events[0].id }], last_id: all.events[0].id });
    const empty = (await api().get(`/api/v1/events?since=${all.last_id}`).expect(200)).body;
    expect(empty).toEqual({ events: [], last_id: all.last_id });
  });
});

describe('event websocket', () => {
  it('starts with connection-established and streams live events', async () => {
    const client = new EventClient();
    await client.opened;
    await new Promise((r) => setTimeout(r, 100));
    expect(client.messages[0]).toEqual({ type: 'connection-established', last_id: await lastId() });
    await api().put('/api/v1/vms/work/tags/live').expect(204);
    await client.until(await lastId());
    expect(client.events.map((e) => [e.event, e.subject, e.payload])).toEqual([['domain-tag-add:live', 'work', { tag: 'live' }]]);
    await client.close();
  });

  it('replays history from since=0 and then goes live', async () => {
    const client = new EventClient(0);
    await client.opened;
    const known = await lastId();
    await client.until(known);
    await api().put('/api/v1/vms/work/features/f').send({ value: '1' }).expect(200);
    await client.until(await lastId());
    const ids = client.events.map((e) => e.id);
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    const history = (await api().get('/api/v1/events?since=0')).body.events.map((e: StreamEvent) => e.id);
    expect(ids).toEqual(history);
    await client.close();
  });

  it('resumes after a disconnect with no event lost or repeated, while events keep coming', async () => {
    const first = new EventClient();
    await first.opened;
    const writes = (from: number, n: number) =>
      Promise.all(Array.from({ length: n }, (_, i) => api().put(`/api/v1/vms/work/tags/t${from + i}`).expect(204)));
    await writes(0, 20);
    await first.until(await lastId());
    const seen = first.events.map((e) => e.id);
    await first.close();

    const missedWhileAway = writes(20, 30);
    await missedWhileAway;
    const second = new EventClient(seen.at(-1));
    const duringReplay = writes(50, 30);
    await second.opened;
    await duringReplay;
    await writes(80, 20);
    await second.until(await lastId());

    const received = [...seen, ...second.events.map((e) => e.id)];
    const history = (await api().get(`/api/v1/events?since=${seen[0] - 1}&limit=1000`)).body.events.map((e: StreamEvent) => e.id);
    expect(received).toEqual(history);
    expect(new Set(received).size).toBe(received.length);
    const tags = [...first.events, ...second.events].map((e) => e.payload.tag);
    expect(new Set(tags)).toEqual(new Set(Array.from({ length: 100 }, (_, i) => `t${i}`)));
    await second.close();
  });

  it('refuses a bad since on the websocket route', async () => {
    const res = await api().get('/api/v1/events?since=-5').expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });
});
