/**
 * The cached GET pages (VM list, event history) through the real API: every change that shows in a
 * page shows in the next GET, and an ETag stays valid only while nothing the page shows changed.
 * On PostgreSQL, two hosts share one database: a page kept by one host is never stale after the
 * other wrote.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createScratchDatabase, TEST_DATABASE_URL, type ScratchDatabase } from '../../helpers/postgres.js';
import { startServer, type TestServer } from '../../helpers/server.js';

type ListedVm = { name: string; state: string; memory: number; tags: string[] };
type ListedEvent = { id: number; event: string; subject: string | null; payload: { vm?: string } };

const names = (body: { items: ListedVm[] }) => body.items.map((v) => v.name);
const vmIn = (body: { items: ListedVm[] }, name: string) => body.items.find((v) => v.name === name);

describe('cached pages on one host', () => {
  let server: TestServer;
  let token = '';
  const api = () => request(server.url);
  const as = (path: string) => request(server.url).get(path).set('authorization', `Bearer ${token}`);

  beforeAll(async () => {
    server = await startServer();
    await api().post('/api/v1/vms').send({ name: 'fedora', class: 'TemplateVM', label: 'black' }).expect(201);
    await api().post('/api/v1/vms').send({ name: 'work', label: 'blue', template: 'fedora' }).expect(201);
    for (const name of ['alpha', 'beta', 'mgmt']) {
      await api().post('/api/v1/vms').send({ name, class: 'StandaloneVM', label: 'red', properties: { memory: 4 } }).expect(201);
    }
    await api()
      .put('/api/v1/policy/files/30-user.policy')
      .send({ content: 'admin.vm.List * mgmt dom0 allow target=dom0\nadmin.vm.List * mgmt alpha allow target=dom0\nadmin.Events * mgmt dom0 allow target=dom0\n' })
      .expect(200);
    token = (await api().post('/api/v1/tokens').send({ name: 'mgmt-token', vm: 'mgmt' }).expect(201)).body.token;
  });
  afterAll(() => server.close());

  it('answers 304 to the ETag of an unchanged page, and 200 with the new page after a write', async () => {
    const first = await api().get('/api/v1/vms').expect(200);
    const etag = first.headers.etag;
    expect(etag).toMatch(/^"[A-Za-z0-9_-]+"$/);
    const again = await api().get('/api/v1/vms').set('if-none-match', etag).expect(304);
    expect(again.text).toBe('');
    expect(again.headers.etag).toBe(etag);
    await api().post('/api/v1/vms').send({ name: 'fresh', label: 'green', template: 'fedora' }).expect(201);
    const after = await api().get('/api/v1/vms').set('if-none-match', etag).expect(200);
    expect(after.headers.etag).not.toBe(etag);
    expect(names(after.body)).toContain('fresh');
    expect(after.body.total).toBe(first.body.total + 1);
    await api().delete('/api/v1/vms/fresh').expect(204);
    expect(names((await api().get('/api/v1/vms').expect(200)).body)).not.toContain('fresh');
  });

  it('shows a power-state change at once, in the list and in the events', async () => {
    const before = await api().get('/api/v1/vms').expect(200);
    expect(vmIn(before.body, 'alpha')?.state).toBe('halted');
    const events = await api().get('/api/v1/events?since=0').expect(200);
    await api().post('/api/v1/vms/alpha/start').expect(200);
    const running = await api().get('/api/v1/vms').set('if-none-match', before.headers.etag).expect(200);
    expect(vmIn(running.body, 'alpha')?.state).toBe('running');
    const later = await api().get('/api/v1/events?since=0').set('if-none-match', events.headers.etag).expect(200);
    expect((later.body.events as ListedEvent[]).filter((e) => e.subject === 'alpha').map((e) => e.event)).toContain('domain-start');
    expect(later.body.last_id).toBeGreaterThan(events.body.last_id);
    await api().post('/api/v1/vms/alpha/kill').expect(200);
    expect(vmIn((await api().get('/api/v1/vms').expect(200)).body, 'alpha')?.state).toBe('halted');
  });

  it("shows a template's property change in its AppVMs, listed and read alone", async () => {
    expect(vmIn((await api().get('/api/v1/vms').expect(200)).body, 'work')?.memory).toBe(64);
    expect((await api().get('/api/v1/vms/work').expect(200)).body.memory).toBe(64);
    await api().patch('/api/v1/vms/fedora').send({ memory: 96 }).expect(200);
    expect(vmIn((await api().get('/api/v1/vms').expect(200)).body, 'work')?.memory).toBe(96);
    expect(vmIn((await api().get('/api/v1/vms?class=AppVM').expect(200)).body, 'work')?.memory).toBe(96);
    expect((await api().get('/api/v1/vms/work').expect(200)).body).toMatchObject({ memory: 96, defaults: expect.arrayContaining(['memory']) });
    await api().patch('/api/v1/vms/fedora').send({ memory: null }).expect(200);
    expect((await api().get('/api/v1/vms/work').expect(200)).body.memory).toBe(64);
  });

  it('shows a new tag in a list filtered by it', async () => {
    expect(names((await api().get('/api/v1/vms?tag=blessed').expect(200)).body)).toEqual([]);
    await api().put('/api/v1/vms/beta/tags/blessed').expect(204);
    const tagged = (await api().get('/api/v1/vms?tag=blessed').expect(200)).body;
    expect(names(tagged)).toEqual(['beta']);
    expect(vmIn(tagged, 'beta')?.tags).toEqual(['blessed']);
  });

  it("shows a policy change at once to a management VM's token, in the list and the events", async () => {
    const before = await as('/api/v1/vms').expect(200);
    expect(names(before.body)).toEqual(['alpha', 'dom0']);
    const events = (await as('/api/v1/events?since=0').expect(200)).body.events as ListedEvent[];
    expect(events.some((e) => e.subject === 'beta')).toBe(false);
    // dom0 sees everything, from a page of its own
    expect(names((await api().get('/api/v1/vms').expect(200)).body)).toEqual(expect.arrayContaining(['alpha', 'beta', 'mgmt']));
    await api()
      .put('/api/v1/policy/files/30-user.policy')
      .send({
        content:
          'admin.vm.List * mgmt dom0 allow target=dom0\nadmin.vm.List * mgmt beta allow target=dom0\n' +
          'admin.Events * mgmt dom0 allow target=dom0\nadmin.Events * mgmt beta allow target=dom0\n',
      })
      .expect(200);
    const after = await as('/api/v1/vms').set('if-none-match', before.headers.etag).expect(200);
    expect(names(after.body)).toEqual(['beta', 'dom0']);
    expect(((await as('/api/v1/events?since=0').expect(200)).body.events as ListedEvent[]).some((e) => e.subject === 'beta')).toBe(true);
  });

  it('keeps a page per query and per caller', async () => {
    const all = await api().get('/api/v1/vms?limit=2').expect(200);
    const reordered = await api().get('/api/v1/vms?offset=0&limit=2').expect(200);
    expect(reordered.headers.etag).toBe(all.headers.etag);
    const next = await api().get('/api/v1/vms?limit=2&offset=2').expect(200);
    expect(next.headers.etag).not.toBe(all.headers.etag);
    expect(names(next.body)).not.toEqual(names(all.body));
    const mine = await as('/api/v1/vms?limit=2').expect(200);
    expect(names(mine.body)).not.toEqual(names(all.body));
    await as('/api/v1/vms?limit=2').set('if-none-match', all.headers.etag).expect(200);
  });
});

describe.skipIf(!TEST_DATABASE_URL)('cached pages on two hosts sharing PostgreSQL', () => {
  let db: ScratchDatabase;
  let a: TestServer;
  let b: TestServer;

  beforeAll(async () => {
    db = await createScratchDatabase(TEST_DATABASE_URL!);
    a = await startServer({ databaseUrl: db.url });
    b = await startServer({ databaseUrl: db.url });
    await request(a.url).post('/api/v1/vms').send({ name: 'fedora', class: 'TemplateVM', label: 'black' }).expect(201);
    await request(a.url).post('/api/v1/vms').send({ name: 'work', label: 'blue', template: 'fedora' }).expect(201);
  });
  afterAll(async () => {
    await a?.close();
    await b?.close();
    await db?.drop();
  });

  it("shows on one host, at once, a VM the other created and a template change the other made", async () => {
    const listed = await request(a.url).get('/api/v1/vms').expect(200);
    const events = await request(a.url).get('/api/v1/events?since=0').expect(200);
    await request(a.url).get('/api/v1/vms').set('if-none-match', listed.headers.etag).expect(304);
    await request(b.url).post('/api/v1/vms').send({ name: 'elsewhere', label: 'green', template: 'fedora' }).expect(201);
    const after = await request(a.url).get('/api/v1/vms').set('if-none-match', listed.headers.etag).expect(200);
    expect(names(after.body)).toContain('elsewhere');
    const later = await request(a.url).get('/api/v1/events?since=0').set('if-none-match', events.headers.etag).expect(200);
    expect((later.body.events as ListedEvent[]).some((e) => e.event === 'domain-add' && e.payload.vm === 'elsewhere')).toBe(true);
    await request(b.url).patch('/api/v1/vms/fedora').send({ memory: 80 }).expect(200);
    expect(vmIn((await request(a.url).get('/api/v1/vms').expect(200)).body, 'work')?.memory).toBe(80);
    expect((await request(a.url).get('/api/v1/vms/work').expect(200)).body.memory).toBe(80);
  });

  it('gives distinct qids to VMs two hosts create at the same time', async () => {
    const made = await Promise.all(
      Array.from({ length: 12 }, (_, i) => request(i % 2 ? a.url : b.url).post('/api/v1/vms').send({ name: `both${i}`, label: 'red', template: 'fedora' })),
    );
    expect(made.map((r) => r.status)).toEqual(Array(12).fill(201));
    const qids = (await request(a.url).get('/api/v1/vms?limit=1000').expect(200)).body.items.map((v: { qid: number }) => v.qid);
    expect(new Set(qids).size).toBe(qids.length);
  });
});
