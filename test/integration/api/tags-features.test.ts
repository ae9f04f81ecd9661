import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../helpers/server.js';

let server: TestServer;
const api = () => request(server.url);
const eventsSince = async (since: number) => (await api().get(`/api/v1/events?since=${since}`)).body.events as { event: string; subject: string; payload: unknown }[];
const lastId = async () => (await api().get('/api/v1/events')).body.last_id as number;

beforeAll(async () => {
  server = await startServer();
  await api().post('/api/v1/vms').send({ name: 'fedora', class: 'TemplateVM', label: 'black' }).expect(201);
  await api().post('/api/v1/vms').send({ name: 'work', label: 'blue', template: 'fedora' }).expect(201);
});
afterAll(() => server.close());

describe('tags', () => {
  it('adds tags once, lists them sorted and removes them, with Qubes events', async () => {
    const since = await lastId();
    await api().put('/api/v1/vms/work/tags/zeta').expect(204);
    await api().put('/api/v1/vms/work/tags/alpha').expect(204);
    await api().put('/api/v1/vms/work/tags/alpha').expect(204);
    expect((await api().get('/api/v1/vms/work/tags').expect(200)).body).toEqual({ tags: ['alpha', 'zeta'] });
    expect((await api().get('/api/v1/vms/work').expect(200)).body.tags).toEqual(['alpha', 'zeta']);
    await api().delete('/api/v1/vms/work/tags/zeta').expect(204);
    expect((await api().get('/api/v1/vms/work/tags')).body.tags).toEqual(['alpha']);
    expect((await eventsSince(since)).map((e) => [e.event, e.subject, e.payload])).toEqual([
      ['domain-tag-add:zeta', 'work', { tag: 'zeta' }],
      ['domain-tag-add:alpha', 'work', { tag: 'alpha' }],
      ['domain-tag-delete:zeta', 'work', { tag: 'zeta' }],
    ]);
  });

  it('answers 404 for the tags of a missing VM', async () => {
    expect((await api().get('/api/v1/vms/ghost/tags').expect(404)).body.code).toBe('VM_NOT_FOUND');
    expect((await api().put('/api/v1/vms/ghost/tags/x').expect(404)).body.code).toBe('VM_NOT_FOUND');
  });
});

describe('features', () => {
  it('sets, reads, lists and removes features, with Qubes events', async () => {
    const since = await lastId();
    expect((await api().put('/api/v1/vms/work/features/gui').send({ value: '1' }).expect(200)).body).toEqual({ name: 'gui', value: '1' });
    await api().put('/api/v1/vms/work/features/gui').send({ value: '1' }).expect(200);
    await api().put('/api/v1/vms/work/features/service.ssh').send({ value: '' }).expect(200);
    expect((await api().get('/api/v1/vms/work/features/gui').expect(200)).body).toEqual({ name: 'gui', value: '1' });
    expect((await api().get('/api/v1/vms/work/features').expect(200)).body).toEqual({ features: { gui: '1', 'service.ssh': '' } });
    await api().put('/api/v1/vms/work/features/gui').send({ value: '0' }).expect(200);
    await api().delete('/api/v1/vms/work/features/gui').expect(204);
    expect((await api().get('/api/v1/vms/work/features/gui').expect(404)).body.code).toBe('FEATURE_NOT_FOUND');
    expect((await api().delete('/api/v1/vms/work/features/gui').expect(404)).body.code).toBe('FEATURE_NOT_FOUND');
    expect((await eventsSince(since)).map((e) => [e.event, e.payload])).toEqual([
      ['domain-feature-set:gui', { feature: 'gui', value: '1', oldvalue: null }],
      ['domain-feature-set:service.ssh', { feature: 'service.ssh', value: '', oldvalue: null }],
      ['domain-feature-set:gui', { feature: 'gui', value: '0', oldvalue: '1' }],
      ['domain-feature-delete:gui', { feature: 'gui' }],
    ]);
  });

  it('refuses a body without value, or with extra fields', async () => {
    expect((await api().put('/api/v1/vms/work/features/x').send({}).expect(400)).body.code).toBe('VALIDATION_FAILED');
    expect((await api().put('/api/v1/vms/work/features/x').send({ value: '1', extra: 2 }).expect(400)).body.code).toBe('VALIDATION_FAILED');
  });

  it('drops tags and features with their VM', async () => {
    await api().post('/api/v1/vms').send({ name: 'temp', label: 'red', template: 'fedora' }).expect(201);
    await api().put('/api/v1/vms/temp/tags/t').expect(204);
    await api().put('/api/v1/vms/temp/features/f').send({ value: 'v' }).expect(200);
    await api().delete('/api/v1/vms/temp').expect(204);
    await api().post('/api/v1/vms').send({ name: 'temp', label: 'red', template: 'fedora' }).expect(201);
    expect((await api().get('/api/v1/vms/temp/tags')).body.tags).toEqual([]);
    expect((await api().get('/api/v1/vms/temp/features')).body.features).toEqual({});
  });
});
