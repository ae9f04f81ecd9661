import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../helpers/server.js';

let server: TestServer;
const api = () => request(server.url);
const create = (body: Record<string, unknown>) => api().post('/api/v1/vms').send(body);
const lastEventId = async () => (await api().get('/api/v1/events?since=0&limit=1000')).body.last_id as number;
const eventsSince = async (since: number) => (await api().get(`/api/v1/events?since=${since}`)).body.events as { event: string; subject: string | null; payload: Record<string, unknown> }[];

beforeAll(async () => {
  server = await startServer();
  await create({ name: 'fedora', class: 'TemplateVM', label: 'black' }).expect(201);
});
afterAll(() => server.close());

describe('VM definitions', () => {
  it('answers /healthz', async () => {
    const res = await api().get('/healthz').expect(200);
    expect(res.body).toEqual({ status: 'ok', version: expect.any(String) });
  });

  it('always has dom0 as the AdminVM with qid 0', async () => {
    const res = await api().get('/api/v1/vms/dom0').expect(200);
    expect(res.body).toMatchObject({ name: 'dom0', qid: 0, class: 'AdminVM', uuid: '00000000-0000-0000-0000-000000000000' });
  });

  it('creates an AppVM on a template, answering 201 with a Location and emitting domain-add', async () => {
    const since = await lastEventId();
    const res = await create({ name: 'work', label: 'blue', template: 'fedora', properties: { memory: 100 } }).expect(201);
    expect(res.headers.location).toBe('/api/v1/vms/work');
    expect(res.body).toMatchObject({ name: 'work', class: 'AppVM', label: 'blue', template: 'fedora', memory: 100, state: 'halted' });
    expect(res.body.defaults).not.toContain('memory');
    expect(res.body.defaults).toContain('vcpus');
    expect(await eventsSince(since)).toEqual([expect.objectContaining({ event: 'domain-add', subject: null, payload: { vm: 'work' } })]);
    const got = await api().get('/api/v1/vms/work').expect(200);
    expect(got.body).toEqual(res.body);
  });

  it('inherits unset properties from the template', async () => {
    await api().patch('/api/v1/vms/fedora').send({ vcpus: 4 }).expect(200);
    await create({ name: 'inherits', label: 'red', template: 'fedora' }).expect(201);
    expect((await api().get('/api/v1/vms/inherits')).body.vcpus).toBe(4);
    await api().patch('/api/v1/vms/fedora').send({ vcpus: null }).expect(200);
    expect((await api().get('/api/v1/vms/inherits')).body.vcpus).toBe(2);
  });

  it('sets and resets properties with property-set and property-reset events', async () => {
    await create({ name: 'props', label: 'green', template: 'fedora' }).expect(201);
    const since = await lastEventId();
    const set = await api().patch('/api/v1/vms/props').send({ memory: 128, autostart: true }).expect(200);
    expect(set.body).toMatchObject({ memory: 128, autostart: true });
    const reset = await api().patch('/api/v1/vms/props').send({ memory: null }).expect(200);
    expect(reset.body.memory).toBe(64);
    expect(reset.body.defaults).toContain('memory');
    expect(await eventsSince(since)).toEqual([
      expect.objectContaining({ event: 'property-set:memory', subject: 'props', payload: { name: 'memory', newvalue: 128, oldvalue: 64 } }),
      expect.objectContaining({ event: 'property-set:autostart', subject: 'props', payload: { name: 'autostart', newvalue: true, oldvalue: false } }),
      expect.objectContaining({ event: 'property-reset:memory', subject: 'props', payload: { name: 'memory', oldvalue: 128 } }),
    ]);
  });

  it('renames a VM, and refuses a taken name or renaming dom0', async () => {
    await create({ name: 'before', label: 'red', template: 'fedora' }).expect(201);
    await api().patch('/api/v1/vms/before').send({ name: 'after' }).expect(200);
    await api().get('/api/v1/vms/before').expect(404);
    const taken = await api().patch('/api/v1/vms/after').send({ name: 'work' }).expect(409);
    expect(taken.body.code).toBe('VM_EXISTS');
    const dom0 = await api().patch('/api/v1/vms/dom0').send({ name: 'dom1' }).expect(409);
    expect(dom0.body.code).toBe('VM_PROTECTED');
  });

  it.each([
    ['a name over 31 characters', 'a'.repeat(32)],
    ['a name starting with a digit', '1vm'],
    ['a name starting with a hyphen', '-vm'],
    ['a name with illegal characters', 'my vm'],
    ['the reserved name none', 'none'],
    ['the reserved name default', 'default'],
    ['an empty name', ''],
  ])('refuses %s', async (_what, name) => {
    const res = await create({ name, label: 'red', template: 'fedora' }).expect(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
    expect(res.headers['content-type']).toMatch(/^application\/problem\+json/);
  });

  it('takes a 31-character name', async () => {
    await create({ name: `v${'x'.repeat(30)}`, label: 'red', template: 'fedora' }).expect(201);
  });

  it.each([
    ['an AppVM without a template', { name: 'notpl', label: 'red' }],
    ['a TemplateVM with a template', { name: 'tpl2', class: 'TemplateVM', label: 'red', template: 'fedora' }],
    ['an AppVM on an AppVM', { name: 'onapp', label: 'red', template: 'work' }],
    ['an AppVM on a missing template', { name: 'onmissing', label: 'red', template: 'nosuch' }],
    ['a DispVM on a template that is not a disposable template', { name: 'disp1', class: 'DispVM', label: 'red', template: 'work' }],
    ['memory above maxmem', { name: 'bigmem', label: 'red', template: 'fedora', properties: { memory: 512, maxmem: 256 } }],
  ])('refuses %s with 422', async (_what, body) => {
    const res = await create(body).expect(422);
    expect(res.body.code).toBe('PROPERTY_VALUE_INVALID');
    await api().get(`/api/v1/vms/${body.name}`).expect(404);
  });

  it('creates DispVMs on a disposable template and guards template_for_dispvms while used', async () => {
    await create({ name: 'dvm', label: 'red', template: 'fedora', properties: { template_for_dispvms: true } }).expect(201);
    await create({ name: 'disp7', class: 'DispVM', label: 'red', template: 'dvm' }).expect(201);
    await api().patch('/api/v1/vms/work').send({ default_dispvm: 'dvm' }).expect(200);
    const refused = await api().patch('/api/v1/vms/dvm').send({ template_for_dispvms: false }).expect(409);
    expect(refused.body).toMatchObject({ code: 'VM_IN_USE', details: { users: ['disp7', 'work'] } });
    const notDvm = await api().patch('/api/v1/vms/work').send({ default_dispvm: 'fedora' }).expect(422);
    expect(notDvm.body.code).toBe('PROPERTY_VALUE_INVALID');
  });

  it('names the refused property in details.property, so that a form can show it at its field', async () => {
    const cases: [Record<string, unknown>, number, string, string][] = [
      [{ name: 'nt', label: 'red' }, 422, 'PROPERTY_VALUE_INVALID', 'template'],
      [{ name: 'fedora', class: 'TemplateVM', label: 'red' }, 409, 'VM_EXISTS', 'name'],
      [{ name: 'big', label: 'red', template: 'fedora', properties: { memory: 300 } }, 422, 'PROPERTY_VALUE_INVALID', 'memory'],
      [{ name: 'bad', label: 'red', template: 'work' }, 422, 'PROPERTY_VALUE_INVALID', 'template'],
    ];
    for (const [body, status, code, property] of cases) {
      const res = await create(body).expect(status);
      expect(res.body).toMatchObject({ code, details: { property } });
    }
    const patch = await api().patch('/api/v1/vms/work').send({ maxmem: 10 }).expect(422);
    expect(patch.body).toMatchObject({ code: 'PROPERTY_VALUE_INVALID', details: { property: 'maxmem' } });
    const missing = await api().patch('/api/v1/vms/work').send({ default_dispvm: 'nosuchvm' }).expect(422);
    expect(missing.body).toMatchObject({ details: { property: 'default_dispvm' } });
  });

  it('refuses to delete a VM others use, naming them, and dom0', async () => {
    const res = await api().delete('/api/v1/vms/fedora').expect(409);
    expect(res.body.code).toBe('VM_IN_USE');
    expect(res.body.detail).toContain('template for work');
    expect(res.body.details.users.template).toContain('work');
    const dom0 = await api().delete('/api/v1/vms/dom0').expect(409);
    expect(dom0.body.code).toBe('VM_PROTECTED');
  });

  it('deletes a VM with domain-delete, then answers 404 for it', async () => {
    await create({ name: 'doomed', label: 'red', template: 'fedora' }).expect(201);
    const since = await lastEventId();
    await api().delete('/api/v1/vms/doomed').expect(204);
    expect(await eventsSince(since)).toEqual([expect.objectContaining({ event: 'domain-delete', payload: { vm: 'doomed' } })]);
    const res = await api().get('/api/v1/vms/doomed').expect(404);
    expect(res.body).toMatchObject({ code: 'VM_NOT_FOUND', status: 404, instance: '/api/v1/vms/doomed' });
    await api().delete('/api/v1/vms/doomed').expect(404);
    await api().patch('/api/v1/vms/doomed').send({ memory: 10 }).expect(404);
  });
});

describe('VM list', () => {
  beforeAll(async () => {
    for (let i = 0; i < 12; i++) {
      await create({ name: `fleet${String(i).padStart(2, '0')}`, label: i % 3 === 0 ? 'purple' : 'gray', template: 'fedora' }).expect(201);
    }
    await api().put('/api/v1/vms/fleet03/tags/managed').expect(204);
    await api().put('/api/v1/vms/fleet07/tags/managed').expect(204);
  });

  it('filters by class, label, tag and state', async () => {
    const templates = await api().get('/api/v1/vms?class=TemplateVM').expect(200);
    expect(templates.body.items.map((v: { name: string }) => v.name)).toEqual(['fedora']);
    const purple = await api().get('/api/v1/vms?label=purple').expect(200);
    expect(purple.body.items.map((v: { name: string }) => v.name)).toEqual(['fleet00', 'fleet03', 'fleet06', 'fleet09']);
    const tagged = await api().get('/api/v1/vms?tag=managed').expect(200);
    expect(tagged.body.items.map((v: { name: string }) => v.name)).toEqual(['fleet03', 'fleet07']);
    const running = await api().get('/api/v1/vms?state=running').expect(200);
    expect(running.body.items.map((v: { name: string }) => v.name)).toEqual(['dom0']);
  });

  it('pages through all VMs in name order', async () => {
    const all = (await api().get('/api/v1/vms?limit=1000').expect(200)).body;
    const names: string[] = [];
    for (let offset = 0; offset < all.total; offset += 5) {
      const page = (await api().get(`/api/v1/vms?offset=${offset}&limit=5`).expect(200)).body;
      expect(page).toMatchObject({ offset, limit: 5, total: all.total });
      names.push(...page.items.map((v: { name: string }) => v.name));
    }
    expect(names).toEqual(all.items.map((v: { name: string }) => v.name));
    expect([...names].sort()).toEqual(names);
  });

  it.each(['limit=0', 'limit=1001', 'offset=-1', 'limit=abc', 'class=Toaster', 'state=flying', 'bogus=1'])(
    'refuses the query %s',
    async (query) => {
      const res = await api().get(`/api/v1/vms?${query}`).expect(400);
      expect(res.body.code).toBe('VALIDATION_FAILED');
    },
  );
});
