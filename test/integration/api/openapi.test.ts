import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateOpenApi } from '../../../scripts/openapi.js';
import { startServer, type TestServer } from '../../helpers/server.js';

const committed = readFileSync(new URL('../../../openapi/openapi.json', import.meta.url), 'utf8');
const spec = JSON.parse(committed) as {
  paths: Record<string, Record<string, { responses: Record<string, { content?: Record<string, { schema: unknown }> }> }>>;
};

interface Captured {
  method: string;
  route: string;
  status: number;
  contentType: string;
  body: string;
}

let server: TestServer;
const captured: Captured[] = [];
const api = () => request(server.url);

beforeAll(async () => {
  server = await startServer({ listen: false });
  server.app.addHook('onSend', async (req, reply, payload) => {
    const route = req.routeOptions.url;
    if (route) {
      captured.push({
        method: req.method.toLowerCase(),
        route: route.replace(/:(\w+)/g, '{$1}'),
        status: reply.statusCode,
        contentType: String(reply.getHeader('content-type') ?? '').split(';')[0],
        body: typeof payload === 'string' ? payload : Buffer.isBuffer(payload) ? payload.toString('utf8') : '',
      });
    }
    return payload;
  });
  await server.app.listen({ host: '127.0.0.1', port: 0 });
  const address = server.app.server.address();
  server.url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
});
afterAll(() => server.close());

/** Exercises every route, with successes and refusals. */
async function exerciseEveryRoute(): Promise<void> {
  await api().get('/healthz');
  await api().get('/api/v1/properties');
  await api().post('/api/v1/vms').send({ name: 'fedora', class: 'TemplateVM', label: 'black' });
  await api().post('/api/v1/vms').send({ name: 'work', label: 'blue', template: 'fedora', properties: { memory: 80 } });
  await api().post('/api/v1/vms').send({ name: 'work', label: 'blue', template: 'fedora' });
  await api().post('/api/v1/vms').send({ name: 'x', label: 'blue' });
  await api().post('/api/v1/vms').send({ name: '1x', label: 'blue' });
  await api().get('/api/v1/vms');
  await api().get('/api/v1/vms?class=AppVM&limit=1');
  await api().get('/api/v1/vms?limit=0');
  await api().get('/api/v1/vms/work');
  await api().get('/api/v1/vms/ghost');
  await api().patch('/api/v1/vms/work').send({ vcpus: 3, kernel: null });
  await api().patch('/api/v1/vms/work').send({ vcpus: 'x' });
  await api().patch('/api/v1/vms/work').send({ template: 'work' });
  await api().patch('/api/v1/vms/ghost').send({ vcpus: 1 });
  await api().put('/api/v1/vms/work/tags/t1');
  await api().put('/api/v1/vms/work/tags/bad%20tag');
  await api().get('/api/v1/vms/work/tags');
  await api().get('/api/v1/vms/ghost/tags');
  await api().delete('/api/v1/vms/work/tags/t1');
  await api().delete('/api/v1/vms/work/tags/t1');
  await api().put('/api/v1/vms/work/features/gui').send({ value: '1' });
  await api().put('/api/v1/vms/work/features/gui').send({ nope: 1 });
  await api().get('/api/v1/vms/work/features');
  await api().get('/api/v1/vms/work/features/gui');
  await api().get('/api/v1/vms/work/features/none');
  await api().delete('/api/v1/vms/work/features/gui');
  await api().delete('/api/v1/vms/work/features/gui');
  await api().post('/api/v1/vms/work/clone').send({ name: 'work-clone' });
  await api().post('/api/v1/vms/work/clone').send({ name: 'work-clone' });
  await api().post('/api/v1/vms/work/clone').send({ name: '1x' });
  await api().post('/api/v1/vms/work/clone').send({ name: 'disp', class: 'DispVM' });
  await api().post('/api/v1/vms/ghost/clone').send({ name: 'x' });
  await api().delete('/api/v1/vms/work-clone');
  await api().post('/api/v1/vms').send({ name: 'runner', class: 'StandaloneVM', label: 'red', properties: { memory: 4 } });
  await api().post('/api/v1/vms/runner/start');
  await api().post('/api/v1/vms/runner/start');
  await api().post('/api/v1/vms/runner/pause');
  await api().post('/api/v1/vms/runner/unpause');
  await api().get('/api/v1/vms/runner/console?tail=100');
  await api().get('/api/v1/vms/runner/stats');
  await api().post('/api/v1/vms/runner/qrexec').send({ command: 'echo hi' });
  await api().post('/api/v1/vms/runner/qrexec').send({ service: 'qubes.GetDate+x', stdin: 'aGk=' });
  await api().post('/api/v1/vms/runner/qrexec').send({ service: 'qubes.GetDate', command: 'true' });
  await api().post('/api/v1/vms/runner/qrexec').send({ command: 'true', stdin: '***' });
  await api().post('/api/v1/vms/ghost/qrexec').send({ command: 'true' });
  const suspended = (await api().post('/api/v1/vms/runner/suspend').send({})).body;
  await api().post('/api/v1/vms/runner/suspend').send({});
  await api().post('/api/v1/vms/runner/suspend').send({ file: '../x' });
  await api().get('/api/v1/snapshots');
  await api().get(`/api/v1/snapshots/${suspended.snapshot.id}`);
  await api().get('/api/v1/snapshots/none');
  await api().delete(`/api/v1/snapshots/${suspended.snapshot.id}`);
  await api().post('/api/v1/vms/runner/resume').send({ snapshot: 'other' });
  await api().post('/api/v1/vms/runner/resume').send({});
  await api().post('/api/v1/vms/runner/resume');
  const group = (await api().post('/api/v1/snapshots').send({ vms: ['runner'] })).body;
  await api().post('/api/v1/snapshots').send({ all: true, vms: ['runner'] });
  await api().post('/api/v1/snapshots').send({ vms: ['ghost'] });
  await api().post(`/api/v1/snapshots/${group.id}/resume`);
  await api().post(`/api/v1/snapshots/${group.id}/resume`);
  await api().post('/api/v1/snapshots/none/resume');
  await api().delete(`/api/v1/snapshots/${group.id}`);
  await api().delete('/api/v1/snapshots/none');
  await api().post('/api/v1/snapshots/prune').send({ orphans: true });
  await api().post('/api/v1/snapshots/prune');
  await api().post('/api/v1/snapshots/prune').send({ everything: true });
  await api().post('/api/v1/vms/runner/shutdown').send({ wait: true });
  await api().post('/api/v1/vms/runner/qrexec').send({ command: 'true', autostart: false });
  await api().post('/api/v1/vms/runner/shutdown');
  await api().post('/api/v1/vms/runner/start');
  await api().post('/api/v1/vms/runner/kill');
  await api().get('/api/v1/vms/runner/stats');
  await api().get('/api/v1/host');
  await api().get('/api/v1/stats');
  await api().get('/api/v1/stats?interval_ms=1');
  await api().get('/api/v1/vms/dom0/event-channels');
  await api().get('/api/v1/vms/runner/event-channels');
  await api().get('/api/v1/vms/dom0/grants');
  await api().get('/api/v1/vms/runner/grants');
  await api().get('/api/v1/images');
  await api().get('/api/v1/images/base');
  await api().get('/api/v1/images/none');
  const hello = readFileSync(new URL('../../../guests/images/hello.elf', import.meta.url)).toString('base64');
  await api().post('/api/v1/images').send({ name: 'up', kernel: 'hello', programs: { hello } });
  await api().post('/api/v1/images').send({ name: 'up2', kernel: 'x', programs: { hello } });
  await api().delete('/api/v1/images/up');
  await api().delete('/api/v1/images/base');
  await api().get('/api/v1/policy/files');
  await api().get('/api/v1/policy/files/30-user.policy');
  await api().get('/api/v1/policy/files/nope.policy');
  await api().put('/api/v1/policy/files/30-user.policy').send({ content: 'qubes.GetDate * @anyvm @anyvm allow\n' });
  await api().put('/api/v1/policy/files/30-user.policy').send({ content: 'bad line\n' });
  await api().put('/api/v1/policy/files/30-user.policy').set('if-match', '"v1"').send({ content: '' });
  await api().put('/api/v1/policy/files/40-x.policy').send({ content: '' });
  await api().delete('/api/v1/policy/files/40-x.policy');
  await api().get('/api/v1/policy/files/30-user.policy/history');
  await api().post('/api/v1/policy/evaluate').send({ source: 'work', target: 'fedora', service: 'qubes.GetDate' });
  await api().post('/api/v1/policy/evaluate').send({ source: 'work', target: 'fedora', service: 'qubes.VMShell' });
  await api().post('/api/v1/policy/check').send({ files: [{ name: '10-x.policy', content: 'qubes.GetDate * @anyvm @default allow\n' }] });
  await api().get('/api/v1/qrexec/asks');
  await api().post('/api/v1/qrexec/asks/nope').send({ allow: false });
  const token = (await api().post('/api/v1/tokens').send({ name: 't1', vm: 'fedora' })).body.token as string;
  await api().post('/api/v1/tokens').send({ name: 't1', vm: 'fedora' });
  await api().get('/api/v1/tokens');
  await api().get('/api/v1/vms/fedora').set('authorization', `Bearer ${token}`);
  await api().delete('/api/v1/tokens/t1');
  await api().delete('/api/v1/tokens/t1');
  const events = await api().get('/api/v1/events?since=0');
  await api().get('/api/v1/events?since=0').set('if-none-match', String(events.headers.etag));
  const list = await api().get('/api/v1/vms');
  await api().get('/api/v1/vms').set('if-none-match', String(list.headers.etag));
  await api().get('/api/v1/events?since=x');
  await api().delete('/api/v1/vms/fedora');
  await api().delete('/api/v1/vms/work');
  await api().delete('/api/v1/vms/ghost');
}

describe('OpenAPI document', () => {
  it('is up to date with the routes (npm run openapi:check)', async () => {
    const { spec: fresh } = await generateOpenApi();
    expect(fresh).toBe(committed);
  });

  it('describes every real response of every route', async () => {
    await exerciseEveryRoute();
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    ajv.addSchema(spec, 'openapi.json');
    const failures: string[] = [];
    for (const c of captured) {
      const operation = spec.paths[c.route]?.[c.method];
      if (!operation) {
        failures.push(`${c.method} ${c.route}: not in the document`);
        continue;
      }
      const response = operation.responses[String(c.status)];
      if (!response) {
        failures.push(`${c.method} ${c.route} ${c.status}: status not documented`);
        continue;
      }
      if (!response.content) {
        if (c.body !== '') failures.push(`${c.method} ${c.route} ${c.status}: body where none is documented`);
        continue;
      }
      if (!response.content[c.contentType]) {
        failures.push(`${c.method} ${c.route} ${c.status}: content type ${c.contentType} not documented`);
        continue;
      }
      const pointer = ['paths', c.route, c.method, 'responses', String(c.status), 'content', c.contentType, 'schema']
        .map((p) => encodeURIComponent(p.replace(/~/g, '~0').replace(/\//g, '~1')))
        .join('/');
      const validate = ajv.getSchema(`openapi.json#/${pointer}`);
      if (!validate) throw new Error(`no schema at ${pointer}`);
      if (!validate(JSON.parse(c.body))) failures.push(`${c.method} ${c.route} ${c.status}: ${ajv.errorsText(validate.errors)}`);
    }
    expect(failures).toEqual([]);
    const exercised = new Set(captured.map((c) => `${c.method} ${c.route}`));
    const documented = Object.entries(spec.paths).flatMap(([path, ops]) => Object.keys(ops).map((m) => `${m} ${path}`));
    expect(documented.filter((op) => !exercised.has(op))).toEqual([]);
    expect(new Set(captured.map((c) => c.status))).toEqual(new Set([200, 201, 204, 304, 400, 403, 404, 409, 412, 422]));
  });
});
