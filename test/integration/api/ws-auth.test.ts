/**
 * The token on a websocket from a browser (which cannot set headers there): offered as the
 * subprotocol `cella.bearer.<base64url>`, checked exactly as the Authorization header is, and
 * never echoed back (the server picks the plain `cella` protocol).
 */
import { Writable } from 'node:stream';
import { pino } from 'pino';
import request from 'supertest';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { bearerFromProtocols, chooseProtocol } from '../../../src/api/ws-protocol.js';
import { startServer, type TestServer } from '../../helpers/server.js';

const TOKEN = 'dashboard s3cret/é+=';
const b64url = (s: string) => Buffer.from(s).toString('base64url');
let server: TestServer;
const logged: string[] = [];

beforeAll(async () => {
  // debug: the most the manager ever logs
  const sink = new Writable({ write: (c: Buffer, _e, done) => (logged.push(c.toString()), done()) });
  server = await startServer({ token: TOKEN, logger: pino({ level: 'debug' }, sink) });
});
afterAll(() => server.close());

/** Opens a websocket with these subprotocols: the HTTP status of a refused upgrade, or the opened socket's protocol and first message. */
function upgrade(path: string, protocols: string[], headers: Record<string, string> = {}): Promise<{ status: number; protocol?: string; first?: string }> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}${path}`, protocols, { headers });
    ws.on('unexpected-response', (req, res) => {
      resolve({ status: res.statusCode ?? 0 });
      req.destroy();
    });
    ws.on('message', (data) => {
      resolve({ status: 101, protocol: ws.protocol, first: String(data) });
      ws.close();
    });
    ws.on('error', (err) => (err.message.includes('Unexpected server response') ? undefined : reject(err)));
  });
}

describe('the token as a websocket subprotocol', () => {
  it('opens the event stream with the right token, answering with the plain cella protocol', async () => {
    const r = await upgrade('/api/v1/events', ['cella', `cella.bearer.${b64url(TOKEN)}`]);
    expect(r.status).toBe(101);
    expect(r.protocol).toBe('cella');
    expect(JSON.parse(r.first!)).toMatchObject({ type: 'connection-established' });
  });

  it('refuses a wrong token with 401, on the websocket as over HTTP', async () => {
    expect((await upgrade('/api/v1/events', ['cella', `cella.bearer.${b64url('wrong')}`])).status).toBe(401);
    expect((await upgrade('/api/v1/stats', ['cella', `cella.bearer.${b64url('wrong')}`])).status).toBe(401);
    expect((await upgrade('/api/v1/events', ['cella'])).status).toBe(401);
    const http = await request(server.url).get('/api/v1/events').set('authorization', 'Bearer wrong').expect(401);
    expect(http.body).toMatchObject({ code: 'UNAUTHORIZED' });
  });

  it('refuses a token that is not canonical base64url, and two tokens at once', async () => {
    // "YR" decodes to "a" but is not how "a" encodes ("YQ"): refused rather than guessed
    expect((await upgrade('/api/v1/events', ['cella', 'cella.bearer.YR'])).status).toBe(401);
    expect((await upgrade('/api/v1/events', ['cella', `cella.bearer.${b64url(TOKEN)}`, `cella.bearer.${b64url('x')}`])).status).toBe(401);
  });

  it('counts only on a websocket upgrade: a plain HTTP request with the header is refused', async () => {
    await request(server.url).get('/api/v1/vms').set('sec-websocket-protocol', `cella, cella.bearer.${b64url(TOKEN)}`).expect(401);
  });

  it('lets the Authorization header win when both are sent', async () => {
    const r = await upgrade('/api/v1/events', ['cella', `cella.bearer.${b64url(TOKEN)}`], { authorization: 'Bearer wrong' });
    expect(r.status).toBe(401);
  });

  it('opens the stats websocket with it too', async () => {
    const stats = await upgrade('/api/v1/stats', ['cella', `cella.bearer.${b64url(TOKEN)}`]);
    expect(stats.status).toBe(101);
    expect(JSON.parse(stats.first!).vms.map((v: { name: string }) => v.name)).toContain('dom0');
  });
});

describe('the logs', () => {
  it('never hold the token or its subprotocol form, sent right or wrong', async () => {
    await upgrade('/api/v1/events', ['cella', `cella.bearer.${b64url(TOKEN)}`]);
    await upgrade('/api/v1/events', ['cella', `cella.bearer.${b64url(`${TOKEN}x`)}`]);
    await request(server.url).get('/api/v1/vms').set('authorization', `Bearer ${TOKEN}x`).expect(401);
    expect(logged.length).toBeGreaterThan(0);
    const all = logged.join('');
    expect(all).toContain('request refused');
    for (const secret of [TOKEN, b64url(TOKEN), b64url(`${TOKEN}x`), 's3cret']) expect(all).not.toContain(secret);
  });
});

describe('subprotocol parsing', () => {
  it('finds the one bearer entry and decodes it', () => {
    expect(bearerFromProtocols(undefined)).toBeUndefined();
    expect(bearerFromProtocols('cella')).toBeUndefined();
    expect(bearerFromProtocols(`cella, cella.bearer.${b64url('tök')}`)).toBe('tök');
    expect(bearerFromProtocols('cella.bearer.')).toBeNull();
    expect(bearerFromProtocols('cella.bearer./w')).toBeNull();
    expect(bearerFromProtocols(`cella.bearer.${b64url('\u0000')}`)).toBe('\u0000');
    expect(bearerFromProtocols(`cella.bearer.${Buffer.from([0xff, 0xfe]).toString('base64url')}`)).toBeNull();
  });

  it('never picks a protocol that carries a secret', () => {
    expect(chooseProtocol(new Set(['cella.bearer.abc', 'cella']))).toBe('cella');
    expect(chooseProtocol(new Set(['cella.bearer.abc']))).toBe(false);
    expect(chooseProtocol(new Set())).toBe(false);
  });
});
