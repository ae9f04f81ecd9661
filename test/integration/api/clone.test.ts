import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../helpers/server.js';

let server: TestServer;
const api = () => request(server.url);
const lastEventId = async () => (await api().get('/api/v1/events?since=0&limit=1000')).body.last_id as number;
const eventsSince = async (since: number) => (await api().get(`/api/v1/events?since=${since}`)).body.events as { event: string; subject: string | null; payload: Record<string, unknown> }[];
const clone = (source: string, body: Record<string, unknown>) => api().post(`/api/v1/vms/${source}/clone`).send(body);

beforeAll(async () => {
  server = await startServer();
  await api().post('/api/v1/vms').send({ name: 'fedora', class: 'TemplateVM', label: 'black' }).expect(201);
  await api().post('/api/v1/vms').send({ name: 'dvm', class: 'AppVM', label: 'red', template: 'fedora', properties: { template_for_dispvms: true } }).expect(201);
  await api()
    .post('/api/v1/vms')
    .send({ name: 'work', label: 'blue', template: 'fedora', properties: { memory: 100, vcpus: 3, default_dispvm: 'dvm', autostart: true } })
    .expect(201);
  await api().put('/api/v1/vms/work/tags/managed').expect(204);
  await api().put('/api/v1/vms/work/tags/created-by-dom0').expect(204);
  await api().put('/api/v1/vms/work/features/gui').send({ value: '1' }).expect(200);
  await api().put('/api/v1/vms/work/features/service.ssh').send({ value: '' }).expect(200);
});
afterAll(() => server.close());

describe('POST /api/v1/vms/{name}/clone', () => {
  it("copies class, label, template, the properties set on the VM, its tags and features, in one write with Qubes' events", async () => {
    const since = await lastEventId();
    const res = await clone('work', { name: 'work2' }).expect(201);
    expect(res.headers.location).toBe('/api/v1/vms/work2');
    const source = (await api().get('/api/v1/vms/work')).body;
    expect(res.body).toMatchObject({ name: 'work2', class: 'AppVM', label: 'blue', template: 'fedora', memory: 100, vcpus: 3, default_dispvm: 'dvm', autostart: true, state: 'halted', tags: ['managed'] });
    expect(res.body.uuid).not.toBe(source.uuid);
    expect(res.body.qid).not.toBe(source.qid);
    expect(res.body.defaults).toEqual(source.defaults);
    expect((await api().get('/api/v1/vms/work2/features')).body.features).toEqual({ gui: '1', 'service.ssh': '' });
    expect((await eventsSince(since)).map((e) => [e.event, e.subject])).toEqual([
      ['domain-add', null],
      ['domain-tag-add:managed', 'work2'],
      ['domain-feature-set:gui', 'work2'],
      ['domain-feature-set:service.ssh', 'work2'],
    ]);
  });

  it('takes another class, leaving what that class does not have', async () => {
    const res = await clone('work', { name: 'alone', class: 'StandaloneVM' }).expect(201);
    expect(res.body).toMatchObject({ class: 'StandaloneVM', template: null, memory: 100, default_dispvm: 'dvm' });
  });

  it('refuses a taken name, a bad name, dom0, a missing source and an impossible class, changing nothing', async () => {
    const since = await lastEventId();
    const before = (await api().get('/api/v1/vms?limit=1000')).body.total as number;
    expect((await clone('work', { name: 'fedora' }).expect(409)).body.code).toBe('VM_EXISTS');
    expect((await clone('work', { name: '1bad' }).expect(400)).body.code).toBe('VALIDATION_FAILED');
    expect((await clone('dom0', { name: 'dom1' }).expect(409)).body.code).toBe('VM_PROTECTED');
    expect((await clone('ghost', { name: 'x' }).expect(404)).body.code).toBe('VM_NOT_FOUND');
    // a DispVM's template must be a disposable template: fedora is not
    expect((await clone('work', { name: 'disp', class: 'DispVM' }).expect(422)).body.code).toBe('PROPERTY_VALUE_INVALID');
    expect((await clone('work', { name: 'x', class: 'AdminVM' }).expect(400)).body.code).toBe('VALIDATION_FAILED');
    expect((await api().get('/api/v1/vms?limit=1000')).body.total).toBe(before);
    expect(await eventsSince(since)).toEqual([]);
  });
});
