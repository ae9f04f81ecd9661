import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../helpers/server.js';

let server: TestServer;
const api = () => request(server.url);
const enc = encodeURIComponent;

beforeAll(async () => {
  server = await startServer({ manager: { askTimeoutS: 1 } });
  for (const [name, klass, extra] of [
    ['fedora', 'TemplateVM', {}],
    ['work', 'AppVM', { template: 'fedora' }],
    ['vault', 'AppVM', { template: 'fedora' }],
    ['dvm', 'AppVM', { template: 'fedora', properties: { template_for_dispvms: true } }],
  ] as const) {
    await api().post('/api/v1/vms').send({ name, class: klass, label: 'red', ...extra }).expect(201);
  }
});
afterAll(() => server.close());

const evaluate = (source: string, target: string, service: string, argument = '') =>
  api().post('/api/v1/policy/evaluate').send({ source, target, service, argument }).expect(200);

describe('policy files', () => {
  it('installs Cella’s default policy on first start', async () => {
    const files = (await api().get('/api/v1/policy/files').expect(200)).body.files.map((f: { name: string }) => f.name);
    expect(files).toEqual(expect.arrayContaining(['30-user.policy', '90-default.policy', 'include/admin-local-rwx', 'include/admin-global-ro']));
    const file = await api().get('/api/v1/policy/files/90-default.policy').expect(200);
    expect(file.headers.etag).toBe('"v1"');
    expect(file.body).toMatchObject({ name: '90-default.policy', version: 1, etag: '"v1"', updated_by: 'cella (default policy)' });
    expect(file.body.content).toContain('qubes.GetDate');
  });

  it('decides with the rule that decided, or none', async () => {
    const allow = (await evaluate('work', 'vault', 'qubes.GetDate')).body;
    expect(allow).toMatchObject({ action: 'allow', target: 'vault', rule: { file: '90-default.policy' } });
    expect(allow.rule.text).toMatch(/^qubes\.GetDate\s+\*\s+@anyvm\s+@anyvm\s+allow/);
    const ask = (await evaluate('work', 'vault', 'qubes.VMShell')).body;
    expect(ask).toMatchObject({ action: 'ask', ask_choices: { targets: expect.arrayContaining(['vault', 'fedora']) } });
    expect(ask.ask_choices.targets).not.toContain('work');
    const none = (await evaluate('work', 'vault', 'my.Unknown')).body;
    expect(none).toMatchObject({ action: 'deny', rule: null });
    expect(none.reason).toMatch(/no matching rule/i);
    const viaName = (await evaluate('work', 'vault', 'qubes.GetDate+x')).body;
    expect(viaName.action).toBe('allow');
  });

  it('writes a file that parses, with the author and a new version, and decides by it at once', async () => {
    const put = await api()
      .put('/api/v1/policy/files/30-user.policy')
      .set('if-match', '"v1"')
      .send({ content: 'qubes.GetDate * work vault deny\n' })
      .expect(200);
    expect(put.body).toMatchObject({ version: 2, etag: '"v2"', updated_by: 'dom0' });
    expect((await evaluate('work', 'vault', 'qubes.GetDate')).body).toMatchObject({ action: 'deny', rule: { file: '30-user.policy', line: 1 } });
  });

  it('refuses a file that would not parse, with file:line, and changes nothing', async () => {
    const before = (await api().get('/api/v1/policy/files/30-user.policy')).body;
    const res = await api()
      .put('/api/v1/policy/files/30-user.policy')
      .send({ content: 'qubes.GetDate * work vault deny\nqubes.Foo * @anyvm @default allow\nnonsense\n' })
      .expect(422);
    expect(res.body.code).toBe('POLICY_INVALID');
    expect(res.body.details.errors).toEqual(expect.arrayContaining([expect.stringMatching(/^30-user\.policy:2: /), expect.stringMatching(/^30-user\.policy:3: /)]));
    expect((await api().get('/api/v1/policy/files/30-user.policy')).body).toEqual(before);
    expect((await api().get(`/api/v1/policy/files/30-user.policy/history`)).body.versions).toHaveLength(2);
  });

  it('refuses a stale ETag and an existing file with If-None-Match: *', async () => {
    const stale = await api().put('/api/v1/policy/files/30-user.policy').set('if-match', '"v1"').send({ content: '' }).expect(412);
    expect(stale.body).toMatchObject({ code: 'POLICY_CONFLICT', details: { etag: '"v2"' } });
    expect((await api().put('/api/v1/policy/files/30-user.policy').set('if-none-match', '*').send({ content: '' }).expect(412)).body.code).toBe('POLICY_CONFLICT');
  });

  it('keeps the history of versions with who changed them, through removal', async () => {
    await api().put('/api/v1/policy/files/50-extra.policy').set('if-none-match', '*').send({ content: 'my.Svc * @anyvm @anyvm allow\n' }).expect(200);
    await api().delete('/api/v1/policy/files/50-extra.policy').set('if-match', '"v1"').expect(204);
    expect((await api().get('/api/v1/policy/files/50-extra.policy').expect(404)).body.code).toBe('POLICY_NOT_FOUND');
    const history = (await api().get('/api/v1/policy/files/50-extra.policy/history').expect(200)).body.versions;
    expect(history.map((v: { version: number; action: string; changed_by: string }) => [v.version, v.action, v.changed_by])).toEqual([
      [1, 'create', 'dom0'],
      [2, 'delete', 'dom0'],
    ]);
  });

  it('refuses to remove an include file that others include', async () => {
    const res = await api().delete(`/api/v1/policy/files/${enc('include/admin-local-rwx')}`).expect(422);
    expect(res.body.code).toBe('POLICY_INVALID');
    expect((await api().get(`/api/v1/policy/files/${enc('include/admin-local-rwx')}`)).status).toBe(200);
  });

  it.each(['../etc/passwd', 'UPPER.policy', 'no-suffix', 'include/../x', '.hidden.policy', 'a b.policy'])('refuses the file name %j', async (name) => {
    const res = await api().put(`/api/v1/policy/files/${enc(name)}`).send({ content: '' });
    expect(res.status).toBe(400);
    expect(res.body.code).toBe('VALIDATION_FAILED');
  });
});

describe('ask', () => {
  it('opens a question, lists it, takes an answer among the choices and records both', async () => {
    const req = { source: 'work', target: 'vault', service: 'qubes.VMShell', argument: '' };
    const decision = (await server.manager.execute({ type: 'policy.evaluate', request: req }));
    const pending = server.manager.asks.open(req, decision);
    await new Promise((r) => setTimeout(r, 50));
    const asks = (await api().get('/api/v1/qrexec/asks').expect(200)).body.asks;
    expect(asks).toHaveLength(1);
    expect(asks[0]).toMatchObject({ source: 'work', service: 'qubes.VMShell', choices: expect.arrayContaining(['vault']) });
    expect((await api().post(`/api/v1/qrexec/asks/${asks[0].id}`).send({ allow: true, target: 'work' }).expect(400)).body.code).toBe('VALIDATION_FAILED');
    const answered = (await api().post(`/api/v1/qrexec/asks/${asks[0].id}`).send({ allow: true, target: 'vault' }).expect(200)).body;
    expect(answered).toMatchObject({ action: 'allow', target: 'vault' });
    expect((await pending).action).toBe('allow');
    const events = (await api().get('/api/v1/events')).body.events.map((e: { event: string }) => e.event);
    expect(events).toEqual(expect.arrayContaining(['qrexec-ask', 'qrexec-ask-resolved']));
    expect((await api().post(`/api/v1/qrexec/asks/${asks[0].id}`).send({ allow: false }).expect(404)).body.code).toBe('ASK_NOT_FOUND');
  });

  it('denies an unanswered question after the timeout', async () => {
    const req = { source: 'work', target: 'vault', service: 'qubes.VMShell', argument: '' };
    const decision = await server.manager.execute({ type: 'policy.evaluate', request: req });
    const final = await server.manager.asks.open(req, decision);
    expect(final.action).toBe('deny');
    const last = (await api().get('/api/v1/events')).body.events.filter((e: { event: string }) => e.event === 'qrexec-ask-resolved').at(-1);
    expect(last.payload).toMatchObject({ answer: 'deny', by: 'timeout' });
    expect((await api().get('/api/v1/qrexec/asks')).body.asks).toEqual([]);
  });
});
