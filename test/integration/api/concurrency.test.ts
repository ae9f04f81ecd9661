import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../helpers/server.js';

let server: TestServer;

beforeAll(async () => {
  server = await startServer();
  await post({ name: 'fedora', class: 'TemplateVM', label: 'black' });
});
afterAll(() => server.close());

function post(body: unknown): Promise<Response> {
  return fetch(`${server.url}/api/v1/vms`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
}

describe('concurrent creates', () => {
  it('50 concurrent creates of one name give exactly one 201 and 49 VM_EXISTS', async () => {
    const responses = await Promise.all(Array.from({ length: 50 }, () => post({ name: 'contended', label: 'red', template: 'fedora' })));
    const statuses = responses.map((r) => r.status);
    expect(statuses.filter((s) => s === 201)).toHaveLength(1);
    expect(statuses.filter((s) => s === 409)).toHaveLength(49);
    const codes = await Promise.all(responses.filter((r) => r.status === 409).map(async (r) => ((await r.json()) as { code: string }).code));
    expect(new Set(codes)).toEqual(new Set(['VM_EXISTS']));
    const list = (await (await fetch(`${server.url}/api/v1/vms?tag=&limit=1000`.replace('tag=&', ''))).json()) as { items: { name: string }[] };
    expect(list.items.filter((v) => v.name === 'contended')).toHaveLength(1);
    const events = (await (await fetch(`${server.url}/api/v1/events`)).json()) as { events: { event: string; payload: { vm?: string } }[] };
    expect(events.events.filter((e) => e.event === 'domain-add' && e.payload.vm === 'contended')).toHaveLength(1);
  });

  it('50 concurrent creates of different names all succeed with distinct qids', async () => {
    const responses = await Promise.all(Array.from({ length: 50 }, (_, i) => post({ name: `par${i}`, label: 'red', template: 'fedora' })));
    expect(responses.map((r) => r.status)).toEqual(Array(50).fill(201));
    const vms = (await Promise.all(responses.map((r) => r.json()))) as { qid: number }[];
    expect(new Set(vms.map((v) => v.qid)).size).toBe(50);
  });
});
