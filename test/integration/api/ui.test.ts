/**
 * The dashboard's files at `/` and `/ui/…`: served without a token (they hold no data), precompressed
 * as the client accepts, with a CSP; the API, /docs, /openapi.json, /metrics and /healthz work as before.
 */
import { readdirSync, readFileSync, rmSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { get, type IncomingHttpHeaders } from 'node:http';
import { brotliDecompressSync, gunzipSync } from 'node:zlib';
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { pickEncoding } from '../../../src/api/routes/ui.js';
import { startServer, type TestServer } from '../../helpers/server.js';
import { buildUiInto } from '../../helpers/ui-build.js';

const TOKEN = 'ui-test-token';
let server: TestServer;
let dist = '';
let js = '';

/** The body as sent (node:http leaves it compressed), with the headers. */
function raw(path: string, encoding: string): Promise<{ status: number; headers: IncomingHttpHeaders; body: Buffer }> {
  return new Promise((resolve, reject) => {
    get(`${server.url}${path}`, { headers: { 'accept-encoding': encoding } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    }).on('error', reject);
  });
}

beforeAll(async () => {
  dist = buildUiInto();
  js = readdirSync(dist).find((f) => /^app-.*\.js$/.test(f))!;
  server = await startServer({ token: TOKEN, uiDir: dist });
});
afterAll(async () => {
  await server.close();
  rmSync(dirname(dist), { recursive: true, force: true });
});

describe('the dashboard files', () => {
  it('serves the page at / without a token, with a CSP and no caching', async () => {
    const res = await request(server.url).get('/').set('accept-encoding', 'identity').expect(200);
    expect(res.headers['content-type']).toBe('text/html; charset=utf-8');
    expect(res.headers['cache-control']).toBe('no-cache');
    expect(res.headers['content-security-policy']).toContain("script-src 'self'");
    expect(res.text).toContain(`<script type="module" src="/ui/${js}"></script>`);
    expect(res.text).not.toContain(TOKEN);
  });

  it('sends brotli, gzip or identity as Accept-Encoding says, each the same bytes', async () => {
    const identity = readFileSync(join(dist, js));
    const br = await raw(`/ui/${js}`, 'gzip, deflate, br');
    expect(br.status).toBe(200);
    expect(br.headers['content-encoding']).toBe('br');
    expect(br.headers['cache-control']).toContain('immutable');
    expect(br.headers.vary).toBe('accept-encoding');
    expect(brotliDecompressSync(br.body).equals(identity)).toBe(true);
    const gz = await raw(`/ui/${js}`, 'gzip');
    expect(gz.headers['content-encoding']).toBe('gzip');
    expect(gunzipSync(gz.body).equals(identity)).toBe(true);
    const plain = await raw(`/ui/${js}`, 'br;q=0, gzip;q=0');
    expect(plain.headers['content-encoding']).toBeUndefined();
    expect(plain.body.equals(identity)).toBe(true);
  });

  it('answers 304 to a matching If-None-Match', async () => {
    const first = await request(server.url).get(`/ui/${js}`).expect(200);
    await request(server.url).get(`/ui/${js}`).set('if-none-match', first.headers.etag).expect(304);
  });

  it('refuses names that are not its files with a 404 problem', async () => {
    for (const path of ['/ui/nope.js', '/ui/index.html', '/ui/..%2Fpackage.json', `/ui/${js}.br`]) {
      const res = await request(server.url).get(path).expect(404);
      expect(res.body).toMatchObject({ code: 'ROUTE_NOT_FOUND' });
    }
  });

  it('keeps the API, /docs, /openapi.json, /metrics and /healthz behind the token', async () => {
    for (const path of ['/api/v1/vms', '/docs', '/openapi.json', '/metrics', '/healthz']) {
      await request(server.url).get(path).expect(401);
      await request(server.url).get(path).set('authorization', `Bearer ${TOKEN}`).expect((res) => expect(res.status).toBeLessThan(400));
    }
    const doc = await request(server.url).get('/openapi.json').set('authorization', `Bearer ${TOKEN}`).expect(200);
    expect(Object.keys(doc.body.paths)).not.toContain('/');
  });

  it('says how to build it when it is not built', async () => {
    const empty = mkdtempSync(join(tmpdir(), 'cella-no-ui-'));
    const bare = await startServer({ uiDir: empty });
    try {
      const res = await request(bare.url).get('/').expect(404);
      expect(res.body).toMatchObject({ code: 'ROUTE_NOT_FOUND' });
      expect(res.body.detail).toContain('npm run build:ui');
    } finally {
      await bare.close();
      rmSync(empty, { recursive: true, force: true });
    }
  });
});

describe('Accept-Encoding', () => {
  it.each([
    ['gzip, deflate, br', 'br'],
    ['gzip', 'gzip'],
    ['br;q=0, gzip', 'gzip'],
    ['*', 'br'],
    ['*;q=0', null],
    ['identity', null],
    ['', null],
    [undefined, null],
    ['BR;q=0.5', 'br'],
  ])('%s → %s', (header, expected) => {
    expect(pickEncoding(header)).toBe(expected);
  });
});
