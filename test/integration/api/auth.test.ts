import request from 'supertest';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { configFromEnv } from '../../../src/config.js';
import { startServer, type TestServer } from '../../helpers/server.js';

const TOKEN = 's3cret-token';
let server: TestServer;

beforeAll(async () => {
  server = await startServer({ token: TOKEN });
});
afterAll(() => server.close());

describe('bearer token', () => {
  it.each(['/healthz', '/api/v1/vms', '/openapi.json', '/docs'])('refuses %s without a token with 401 problem details', async (path) => {
    const res = await request(server.url).get(path).expect(401);
    expect(res.body).toMatchObject({ code: 'UNAUTHORIZED', status: 401 });
    expect(res.headers['www-authenticate']).toBe('Bearer realm="cella"');
  });

  it('refuses a wrong token and a malformed header', async () => {
    await request(server.url).get('/api/v1/vms').set('authorization', 'Bearer wrong').expect(401);
    await request(server.url).get('/api/v1/vms').set('authorization', `Basic ${TOKEN}`).expect(401);
  });

  it('takes the right token', async () => {
    await request(server.url).get('/api/v1/vms').set('authorization', `Bearer ${TOKEN}`).expect(200);
    await request(server.url)
      .post('/api/v1/vms')
      .set('authorization', `Bearer ${TOKEN}`)
      .send({ name: 'fedora', class: 'TemplateVM', label: 'black' })
      .expect(201);
  });

  it('refuses a websocket without the token and takes one with it', async () => {
    const wsUrl = `${server.url.replace('http', 'ws')}/api/v1/events`;
    const refused = await new Promise<number>((resolve) => {
      const ws = new WebSocket(wsUrl);
      ws.on('unexpected-response', (req, res) => {
        resolve(res.statusCode ?? 0);
        req.destroy();
      });
      ws.on('error', () => undefined);
      ws.on('open', () => resolve(101));
    });
    expect(refused).toBe(401);
    const first = await new Promise<string>((resolve, reject) => {
      const ws = new WebSocket(wsUrl, { headers: { authorization: `Bearer ${TOKEN}` } });
      ws.on('message', (data) => {
        resolve(String(data));
        ws.close();
      });
      ws.on('error', reject);
    });
    expect(JSON.parse(first)).toMatchObject({ type: 'connection-established' });
  });
});

describe('listening address', () => {
  it('refuses a non-loopback address without a token', () => {
    expect(() => configFromEnv({ CELLA_HOST: '0.0.0.0' })).toThrow(/without a token/);
    expect(() => configFromEnv({ CELLA_HOST: '192.0.2.1' })).toThrow(/without a token/);
  });

  it('takes loopback without a token, and any address with one', () => {
    expect(configFromEnv({}).host).toBe('127.0.0.1');
    expect(configFromEnv({ CELLA_HOST: '::1' }).host).toBe('::1');
    expect(configFromEnv({ CELLA_HOST: '0.0.0.0', CELLA_TOKEN: 't' }).token).toBe('t');
  });

  it('defaults to port 7440 and ./data, and takes CELLA_PORT and CELLA_DATA', () => {
    const config = configFromEnv({});
    expect(config.port).toBe(7440);
    expect(config.databaseUrl).toMatch(/^file:.*\/data\/cella\.db$/);
    expect(configFromEnv({ CELLA_PORT: '8000', CELLA_DATA: '/tmp/x' })).toMatchObject({ port: 8000, databaseUrl: 'file:/tmp/x/cella.db' });
    expect(() => configFromEnv({ CELLA_PORT: 'http' })).toThrow(/CELLA_PORT/);
  });
});
