import BetterSqlite3 from 'better-sqlite3';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { BODY_LIMIT } from '../../../src/api/app.js';
import { HTTP_STATUS } from '../../../src/api/problem.js';
import { ERROR_CODES, type ErrorCode } from '../../../src/vmm/errors.js';
import { rawRequest } from '../../helpers/raw-request.js';
import { startServer, type TestServer } from '../../helpers/server.js';

let server: TestServer;
const api = () => request(server.url);

/** What the server holds: every VM with its tags and features, and the event cursor. */
async function snapshot(): Promise<unknown> {
  const vms = (await api().get('/api/v1/vms?limit=1000')).body.items as { name: string }[];
  const features = await Promise.all(vms.map(async (v) => (await api().get(`/api/v1/vms/${v.name}/features`)).body));
  return { vms, features, lastId: (await api().get('/api/v1/events')).body.last_id };
}

beforeAll(async () => {
  server = await startServer();
  await api().post('/api/v1/vms').send({ name: 'fedora', class: 'TemplateVM', label: 'black' }).expect(201);
  await api().post('/api/v1/vms').send({ name: 'work', label: 'blue', template: 'fedora' }).expect(201);
  await api().post('/api/v1/tokens').send({ name: 'tok', vm: 'work' }).expect(201);
});
afterAll(() => server.close());

/** One request per refusal; each must answer its status and code and change nothing. */
const REFUSALS: [string, () => PromiseLike<{ status: number; headers: Record<string, unknown>; body: Record<string, unknown> }>, number, ErrorCode][] = [
  ['malformed JSON', () => api().post('/api/v1/vms').set('content-type', 'application/json').send('{"name":'), 400, 'MALFORMED_REQUEST'],
  ['invalid UTF-8', () => rawRequest(server.url, 'POST', '/api/v1/vms', { 'content-type': 'application/json' }, Buffer.concat([Buffer.from('{"name":"wo'), Buffer.from([0xff, 0xfe]), Buffer.from('rk","label":"red","template":"fedora"}')])), 400, 'MALFORMED_REQUEST'],
  ['an empty JSON body', () => api().post('/api/v1/vms').set('content-type', 'application/json').send(''), 400, 'MALFORMED_REQUEST'],
  ['a prototype-poisoning body', () => api().post('/api/v1/vms').set('content-type', 'application/json').send('{"name":"x","label":"red","__proto__":{"a":1}}'), 400, 'MALFORMED_REQUEST'],
  ['a body over the limit', () => api().post('/api/v1/vms').set('content-type', 'application/json').send(JSON.stringify({ name: 'x', pad: 'y'.repeat(BODY_LIMIT) })), 413, 'PAYLOAD_TOO_LARGE'],
  ['a text/plain body', () => api().post('/api/v1/vms').set('content-type', 'text/plain').send('name=x'), 415, 'UNSUPPORTED_MEDIA_TYPE'],
  ['a wrong type', () => api().patch('/api/v1/vms/work').send({ memory: 'lots' }), 400, 'VALIDATION_FAILED'],
  ['a fractional number', () => api().patch('/api/v1/vms/work').send({ vcpus: 1.5 }), 400, 'VALIDATION_FAILED'],
  ['an absurd number', () => api().patch('/api/v1/vms/work').set('content-type', 'application/json').send('{"memory":1e400}'), 400, 'VALIDATION_FAILED'],
  ['a number beyond 2^53', () => api().patch('/api/v1/vms/work').set('content-type', 'application/json').send('{"memory":9007199254740993}'), 400, 'VALIDATION_FAILED'],
  ['a negative number', () => api().patch('/api/v1/vms/work').send({ shutdown_timeout: -1 }), 400, 'VALIDATION_FAILED'],
  ['memory beyond the address space', () => api().patch('/api/v1/vms/work').send({ memory: 4096 }), 400, 'VALIDATION_FAILED'],
  ['an unknown field', () => api().patch('/api/v1/vms/work').send({ colour: 'red' }), 400, 'VALIDATION_FAILED'],
  ['a read-only property', () => api().patch('/api/v1/vms/work').send({ qid: 99 }), 400, 'VALIDATION_FAILED'],
  ['an unknown nested property on create', () => api().post('/api/v1/vms').send({ name: 'n', label: 'red', template: 'fedora', properties: { qid: 5 } }), 400, 'VALIDATION_FAILED'],
  ['a bad label', () => api().post('/api/v1/vms').send({ name: 'n', label: 'chartreuse', template: 'fedora' }), 400, 'VALIDATION_FAILED'],
  ['a JSON array body', () => api().patch('/api/v1/vms/work').send([1, 2]), 400, 'VALIDATION_FAILED'],
  ['a bad tag', () => api().put('/api/v1/vms/work/tags/bad%20tag'), 400, 'VALIDATION_FAILED'],
  ['a bad feature name', () => api().put('/api/v1/vms/work/features/bad%2Fname').send({ value: '1' }), 400, 'VALIDATION_FAILED'],
  ['a non-printable feature value', () => api().put('/api/v1/vms/work/features/gui').send({ value: 'a\u0001b' }), 400, 'VALIDATION_FAILED'],
  ['an unknown route', () => api().get('/api/v1/nothing'), 404, 'ROUTE_NOT_FOUND'],
  ['a wrong method', () => api().put('/api/v1/vms'), 404, 'ROUTE_NOT_FOUND'],
  ['an unknown VM', () => api().get('/api/v1/vms/ghost'), 404, 'VM_NOT_FOUND'],
  ['a duplicate name', () => api().post('/api/v1/vms').send({ name: 'work', label: 'red', template: 'fedora' }), 409, 'VM_EXISTS'],
  ['deleting a template in use', () => api().delete('/api/v1/vms/fedora'), 409, 'VM_IN_USE'],
  ['deleting dom0', () => api().delete('/api/v1/vms/dom0'), 409, 'VM_PROTECTED'],
  ['an unacceptable value', () => api().patch('/api/v1/vms/work').send({ template: 'work' }), 422, 'PROPERTY_VALUE_INVALID'],
  ['removing a tag the VM lacks', () => api().delete('/api/v1/vms/work/tags/absent'), 404, 'TAG_NOT_FOUND'],
  ['reading a feature the VM lacks', () => api().get('/api/v1/vms/work/features/absent'), 404, 'FEATURE_NOT_FOUND'],
  ['an existing token name', () => api().post('/api/v1/tokens').send({ name: 'tok', vm: 'work' }), 409, 'TOKEN_EXISTS'],
  ['revoking a missing token', () => api().delete('/api/v1/tokens/nope'), 404, 'TOKEN_NOT_FOUND'],
  ['an unknown snapshot', () => api().get('/api/v1/snapshots/nope'), 404, 'SNAPSHOT_NOT_FOUND'],
  ['a bad URL encoding', () => api().get('/api/v1/vms/%E0%A4%A'), 400, 'MALFORMED_REQUEST'],
  ['a 5,000-character VM name', () => api().get(`/api/v1/vms/${'a'.repeat(5000)}`), 414, 'URI_TOO_LONG'],
  ['a 5,000-character snapshot id', () => api().post(`/api/v1/snapshots/${'a'.repeat(5000)}/resume`), 414, 'URI_TOO_LONG'],
  ['a 20,000-character URL', () => api().get(`/api/v1/vms?label=${'a'.repeat(20_000)}`), 431, 'HEADERS_TOO_LARGE'],
];

describe('refused requests', () => {
  it.each(REFUSALS)('%s answers problem details and changes nothing', async (_what, send, status, code) => {
    const before = await snapshot();
    const res = await send();
    expect(res.status).toBe(status);
    expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ status, code, title: ERROR_CODES[code], type: `urn:cella:problem:${code.toLowerCase().replace(/_/g, '-')}` });
    expect(typeof res.body.detail).toBe('string');
    expect(await snapshot()).toEqual(before);
  });

  it('covers every error code the API can give', () => {
    const covered = new Set(REFUSALS.map((r) => r[3]));
    // auth.test.ts; below; test/integration/vmm (lifecycle, images, limits)
    const elsewhere: ErrorCode[] = [
      'UNAUTHORIZED', 'INTERNAL', 'INVALID_STATE', 'IMAGE_NOT_FOUND', 'IMAGE_EXISTS', 'IMAGE_IN_USE', 'IMAGE_INVALID', 'LIMIT_EXCEEDED',
      // test/integration/policy
      'POLICY_NOT_FOUND', 'POLICY_INVALID', 'POLICY_CONFLICT', 'ASK_NOT_FOUND', 'FORBIDDEN',
      // test/integration/vmm/suspend.test.ts
      'SNAPSHOT_MISMATCH', 'SNAPSHOT_INVALID', 'SNAPSHOT_IO',
    ];
    // the answer to a request that arrives too slowly: test/integration/api/bad-requests.test.ts
    const unreachable: ErrorCode[] = ['REQUEST_TIMEOUT'];
    for (const code of Object.keys(ERROR_CODES) as ErrorCode[]) {
      expect(covered.has(code) || elsewhere.includes(code) || unreachable.includes(code), code).toBe(true);
      expect(HTTP_STATUS[code]).toBeGreaterThanOrEqual(400);
    }
  });

  it('answers INTERNAL as problem details when the store fails, without dying', async () => {
    const broken = await startServer();
    const db = new BetterSqlite3(broken.dbFile);
    db.exec('DROP TABLE event');
    db.close();
    const res = await request(broken.url).post('/api/v1/vms').send({ name: 'lost', class: 'TemplateVM', label: 'red' });
    expect(res.status).toBe(500);
    expect(res.body).toMatchObject({ code: 'INTERNAL', status: 500 });
    expect(res.body.detail).not.toMatch(/prisma|stack|at /i);
    await request(broken.url).get('/healthz').expect(200);
    await request(broken.url).get('/api/v1/vms/lost').expect(404);
    await broken.close();
  });
});
