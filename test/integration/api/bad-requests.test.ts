/** Bad requests at the edges: over-long parameters on every route, requests the HTTP parser refuses, and optional bodies. */
import { readFileSync } from 'node:fs';
import { connect, createServer, type Socket } from 'node:net';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { clientErrorHandler } from '../../../src/api/client-error.js';
import { operationsOf } from '../../helpers/openapi-fuzz.js';
import { seedTemplate, startServer, type TestServer } from '../../helpers/server.js';

const doc = JSON.parse(readFileSync(new URL('../../../openapi/openapi.json', import.meta.url), 'utf8'));
let server: TestServer;
const api = () => request(server.url);

beforeAll(async () => {
  server = await startServer();
  await seedTemplate(server.manager);
  await api().post('/api/v1/vms').send({ name: 'work', label: 'blue', template: 'fedora' }).expect(201);
});
afterAll(() => server.close());

/** Sends raw bytes on a fresh connection and returns everything the server wrote before closing. */
function rawExchange(url: string, bytes: string): Promise<string> {
  const { port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = connect(Number(port), '127.0.0.1', () => socket.write(bytes));
    let text = '';
    socket.on('data', (d) => (text += d.toString('utf8')));
    socket.on('close', () => resolve(text));
    socket.on('error', reject);
  });
}

describe('path parameters longer than any valid value', () => {
  const withParams = operationsOf(doc).filter((op) => op.path.includes('{'));
  it.each(withParams.map((op) => [op.method, op.path]))('%s %s answers 414 URI_TOO_LONG', async (method, path) => {
    const url = path.replace(/\{[^}]+\}/g, 'x'.repeat(5000));
    const res = await api()[method.toLowerCase() as 'get'](url).set('content-type', 'application/json').send('{}');
    expect(res.status).toBe(414);
    expect(String(res.headers['content-type'])).toMatch(/^application\/problem\+json/);
    expect(res.body).toMatchObject({ code: 'URI_TOO_LONG', status: 414 });
  });
});

describe('requests the HTTP parser refuses', () => {
  it('answers a request line that is not HTTP with a 400 problem+json', async () => {
    const text = await rawExchange(server.url, 'GARBAGE\r\n\r\n');
    expect(text).toMatch(/^HTTP\/1\.1 400 /);
    expect(text).toMatch(/content-type: application\/problem\+json/i);
    expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))).toMatchObject({ code: 'MALFORMED_REQUEST', status: 400 });
  });

  it('answers headers over 16 KiB with a 431 problem+json', async () => {
    const text = await rawExchange(server.url, `GET /healthz HTTP/1.1\r\nhost: x\r\nx-big: ${'a'.repeat(20_000)}\r\n\r\n`);
    expect(text).toMatch(/^HTTP\/1\.1 431 /);
    expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))).toMatchObject({ code: 'HEADERS_TOO_LARGE', status: 431 });
  });

  it('answers a request that arrives too slowly with a 408 problem+json', async () => {
    // Node's own request timeout is minutes long: hand the handler the error Node would give it, on a real socket
    const listener = createServer((socket: Socket) => {
      socket.on('error', () => {}); // the handler ends the socket with the error, as Node expects
      clientErrorHandler(Object.assign(new Error('timeout'), { code: 'ERR_HTTP_REQUEST_TIMEOUT' }), socket);
    });
    await new Promise<void>((resolve) => listener.listen(0, '127.0.0.1', resolve));
    const address = listener.address();
    const text = await rawExchange(`http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`, 'GET / HTTP/1.1\r\n');
    listener.close();
    expect(text).toMatch(/^HTTP\/1\.1 408 /);
    expect(JSON.parse(text.slice(text.indexOf('\r\n\r\n') + 4))).toMatchObject({ code: 'REQUEST_TIMEOUT', status: 408 });
  });
});

describe('actions whose fields are all optional take no body, an empty body or {}', () => {
  const BODIES: [string, (r: request.Test) => request.Test][] = [
    ['no body', (r) => r],
    ['an empty JSON body', (r) => r.set('content-type', 'application/json').send('')],
    ['{}', (r) => r.send({})],
  ];

  it.each(BODIES)('start and shutdown with %s', async (_what, withBody) => {
    expect((await withBody(api().post('/api/v1/vms/work/start'))).status).toBe(200);
    const res = await withBody(api().post('/api/v1/vms/work/shutdown'));
    expect(res.status).toBe(200);
    await api().post('/api/v1/vms/work/kill');
  });

  it.each(BODIES)('suspend and resume with %s', async (_what, withBody) => {
    await api().post('/api/v1/vms/work/start').expect(200);
    expect((await withBody(api().post('/api/v1/vms/work/suspend'))).status).toBe(200);
    expect((await withBody(api().post('/api/v1/vms/work/resume'))).status).toBe(200);
    await api().post('/api/v1/vms/work/kill').expect(200);
  });

  it('still refuses an empty body where the route needs fields', async () => {
    const res = await api().post('/api/v1/vms').set('content-type', 'application/json').send('');
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ code: 'MALFORMED_REQUEST', detail: 'request body is empty; send a JSON document' });
  });
});

describe('the OpenAPI document', () => {
  it('names the server a generated client talks to', () => {
    expect(doc.servers).toEqual([expect.objectContaining({ url: 'http://127.0.0.1:7440' })]);
  });

  it('marks a body whose fields are all optional as not required, and only those', () => {
    const optional = operationsOf(doc)
      .filter((op) => op.hasBody && doc.paths[op.path][op.method.toLowerCase()].requestBody.required === false)
      .map((op) => `${op.method} ${op.path}`)
      .sort();
    expect(optional).toEqual([
      'PATCH /api/v1/vms/{name}',
      'POST /api/v1/snapshots/prune',
      'POST /api/v1/vms/{name}/resume',
      'POST /api/v1/vms/{name}/shutdown',
      'POST /api/v1/vms/{name}/suspend',
    ]);
  });

  it('holds no component schema that nothing refers to', () => {
    const text = JSON.stringify(doc);
    const unused = Object.keys(doc.components.schemas).filter((name) => !text.includes(`"#/components/schemas/${name}"`));
    expect(unused).toEqual([]);
  });

  it('gives the typed client optional fields for fields with a default (wait, force, all, exclude)', () => {
    const types = readFileSync(new URL('../../../openapi/api.d.ts', import.meta.url), 'utf8');
    const shutdown = /ShutdownRequestInput: \{([^}]*)\}/s.exec(types)?.[1] ?? '';
    expect(shutdown).toMatch(/wait\?: boolean/);
    expect(shutdown).toMatch(/force\?: boolean/);
    const group = /SnapshotGroupRequestInput: \{([^}]*)\}/s.exec(types)?.[1] ?? '';
    expect(group).toMatch(/all\?: boolean/);
    expect(group).toMatch(/exclude\?: string\[\]/);
  });
});
