import request from 'supertest';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../helpers/server.js';

let server: TestServer;
let token = '';
const dom0 = () => request(server.url);
const as = (method: 'get' | 'post' | 'put' | 'delete' | 'patch', path: string) => request(server.url)[method](path).set('authorization', `Bearer ${token}`);

const MGMT_POLICY = `admin.vm.List    *  mgmt  dom0          allow target=dom0
admin.vm.List    *  mgmt  @tag:managed  allow target=dom0
admin.vm.Start   *  mgmt  @tag:managed  allow target=dom0
admin.Events     *  mgmt  dom0          allow target=dom0
admin.Events     *  mgmt  @tag:managed  allow target=dom0
admin.vm.Kill    *  mgmt  @tag:managed  allow
`;

beforeAll(async () => {
  server = await startServer();
  for (const name of ['alpha', 'beta', 'gamma', 'mgmt']) {
    await dom0().post('/api/v1/vms').send({ name, class: 'StandaloneVM', label: 'red', properties: { memory: 4 } }).expect(201);
  }
  await dom0().put('/api/v1/vms/alpha/tags/managed').expect(204);
  await dom0().put('/api/v1/vms/beta/tags/managed').expect(204);
  await dom0().put('/api/v1/policy/files/30-user.policy').send({ content: MGMT_POLICY }).expect(200);
  const created = await dom0().post('/api/v1/tokens').send({ name: 'mgmt-token', vm: 'mgmt' }).expect(201);
  expect(created.body).toMatchObject({ name: 'mgmt-token', vm: 'mgmt', token: expect.stringMatching(/^cella_/) });
  token = created.body.token;
});
afterAll(() => server.close());

describe('admin API authorisation by policy', () => {
  it('lists only the VMs the policy lets the management VM see', async () => {
    const res = await as('get', '/api/v1/vms').expect(200);
    // dom0 too: the global call needs admin.vm.List towards dom0, which also shows it (as qubesd does)
    expect(res.body.items.map((v: { name: string }) => v.name)).toEqual(['alpha', 'beta', 'dom0']);
    expect(res.body.total).toBe(3);
    expect((await as('get', '/api/v1/vms?tag=managed').expect(200)).body.items.map((v: { name: string }) => v.name)).toEqual(['alpha', 'beta']);
  });

  it('starts the VMs it may start, and gets 403 with the deciding rule on the others', async () => {
    expect((await as('post', '/api/v1/vms/alpha/start').expect(200)).body.state).toBe('running');
    const refused = await as('post', '/api/v1/vms/gamma/start').expect(403);
    expect(refused.body).toMatchObject({ code: 'FORBIDDEN', details: { method: 'admin.vm.Start', dest: 'gamma', rule: null } });
    expect(refused.body.detail).toMatch(/^admin\.vm\.Start from mgmt to gamma: /);
    expect((await dom0().get('/api/v1/vms/gamma')).body.state).toBe('halted');
  });

  it('refuses an allow that does not redirect to dom0, naming the rule', async () => {
    const res = await as('post', '/api/v1/vms/alpha/kill').expect(403);
    expect(res.body.details.rule).toMatchObject({ file: '30-user.policy', line: 6 });
    expect(res.body.detail).toMatch(/target=dom0/);
    expect((await dom0().get('/api/v1/vms/alpha')).body.state).toBe('running');
  });

  it('refuses what no rule grants, and dom0-only routes', async () => {
    expect((await as('get', '/api/v1/vms/alpha').expect(403)).body.details.method).toBe('admin.vm.property.GetAll');
    expect((await as('patch', '/api/v1/vms/alpha').send({ label: 'blue' }).expect(403)).body.details).toMatchObject({ method: 'admin.vm.property.Set', argument: '+label' });
    expect((await as('post', '/api/v1/tokens').send({ name: 'x', vm: 'mgmt' }).expect(403)).body.code).toBe('FORBIDDEN');
    expect((await as('get', '/api/v1/qrexec/asks').expect(403)).body.code).toBe('FORBIDDEN');
    expect((await as('get', '/api/v1/policy/files').expect(403)).body.details.method).toBe('policy.List');
    await as('get', '/healthz').expect(200);
  });

  it('filters the event history and the event stream per VM', async () => {
    const history = (await as('get', '/api/v1/events?since=0').expect(200)).body.events as { event: string; subject: string | null; payload: { vm?: string } }[];
    const about = new Set(history.map((e) => e.subject ?? e.payload.vm ?? 'dom0'));
    expect([...about].sort()).toEqual(expect.arrayContaining(['alpha', 'beta']));
    expect(about.has('gamma')).toBe(false);
    expect(about.has('mgmt')).toBe(false);
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/api/v1/events`, { headers: { authorization: `Bearer ${token}` } });
    const seen: { event: string; subject: string }[] = [];
    ws.on('message', (d) => seen.push(JSON.parse(String(d))));
    await new Promise((r) => ws.once('open', r));
    await new Promise((r) => setTimeout(r, 100));
    await dom0().put('/api/v1/vms/gamma/tags/hidden').expect(204);
    await dom0().put('/api/v1/vms/beta/tags/visible').expect(204);
    const deadline = Date.now() + 5000;
    while (!seen.some((e) => e.subject === 'beta') && Date.now() < deadline) await new Promise((r) => setTimeout(r, 20));
    ws.close();
    expect(seen.filter((e) => e.subject).map((e) => [e.event, e.subject])).toEqual([['domain-tag-add:visible', 'beta']]);
  });

  it('refuses a revoked token with 401', async () => {
    await dom0().delete('/api/v1/tokens/mgmt-token').expect(204);
    expect((await as('get', '/api/v1/vms').expect(401)).body.code).toBe('UNAUTHORIZED');
    expect((await dom0().get('/api/v1/tokens').expect(200)).body.tokens).toEqual([]);
  });
});
