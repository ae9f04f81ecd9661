/** /api/v1/stats: every VM's counters at once over HTTP, and a sample every interval_ms on its websocket. */
import request from 'supertest';
import WebSocket from 'ws';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../helpers/server.js';

let server: TestServer;
const api = () => request(server.url);
type Sample = { at: number; vms: { name: string; state: string; instructions: number; host_cpu_ms: number; memory_bytes: number }[] };

const POLICY = `admin.vm.List   *  mgmt  dom0   allow target=dom0
admin.vm.Stats  *  mgmt  busy   allow target=dom0
`;

beforeAll(async () => {
  server = await startServer();
  await api().post('/api/v1/vms').send({ name: 'busy', class: 'StandaloneVM', label: 'red', properties: { memory: 8, kernel: 'spin' } }).expect(201);
  await api().post('/api/v1/vms').send({ name: 'quiet', class: 'StandaloneVM', label: 'blue', properties: { memory: 8 } }).expect(201);
  await api().post('/api/v1/vms').send({ name: 'mgmt', class: 'StandaloneVM', label: 'gray', properties: { memory: 8 } }).expect(201);
  await api().put('/api/v1/policy/files/30-user.policy').send({ content: POLICY }).expect(200);
});
afterAll(() => server.close());

/** The first `n` messages of the stats websocket. */
function samples(query: string, n: number, headers: Record<string, string> = {}): Promise<Sample[]> {
  return new Promise((resolve, reject) => {
    const got: Sample[] = [];
    const ws = new WebSocket(`${server.url.replace('http', 'ws')}/api/v1/stats${query}`, { headers });
    ws.on('message', (data) => {
      got.push(JSON.parse(String(data)) as Sample);
      if (got.length === n) {
        ws.close();
        resolve(got);
      }
    });
    ws.on('error', reject);
  });
}

describe('GET /api/v1/stats', () => {
  it("lists every VM's counters; a running VM's instructions and host CPU grow", async () => {
    await api().post('/api/v1/vms/busy/start').expect(200);
    try {
      const first = (await api().get('/api/v1/stats').expect(200)).body as Sample;
      await new Promise((r) => setTimeout(r, 300));
      const second = (await api().get('/api/v1/stats').expect(200)).body as Sample;
      const busy = (s: Sample) => s.vms.find((v) => v.name === 'busy')!;
      expect(first.vms.map((v) => v.name).sort()).toEqual(['busy', 'dom0', 'mgmt', 'quiet']);
      expect(busy(first)).toMatchObject({ state: 'running', memory_bytes: 8 * 1024 * 1024 });
      expect(busy(second).instructions).toBeGreaterThan(busy(first).instructions);
      expect(busy(second).host_cpu_ms).toBeGreaterThan(busy(first).host_cpu_ms);
      expect(second.at).toBeGreaterThan(first.at);
      expect(second.vms.find((v) => v.name === 'quiet')).toMatchObject({ state: 'halted', instructions: 0, memory_bytes: 0 });
    } finally {
      await api().post('/api/v1/vms/busy/kill').expect(200);
    }
  });

  it('refuses an interval out of range', async () => {
    const res = await api().get('/api/v1/stats?interval_ms=10').expect(400);
    expect(res.body).toMatchObject({ code: 'VALIDATION_FAILED' });
  });
});

describe('the stats websocket', () => {
  it('sends a sample at once and then one every interval_ms', async () => {
    const t0 = Date.now();
    const got = await samples('?interval_ms=250', 3);
    expect(got.map((s) => s.vms.some((v) => v.name === 'dom0'))).toEqual([true, true, true]);
    expect(got[1].at - got[0].at).toBeGreaterThanOrEqual(200);
    expect(got[2].at).toBeGreaterThan(got[1].at);
    expect(Date.now() - t0).toBeGreaterThanOrEqual(450);
  });

  it('shows a management VM only the VMs it may call admin.vm.Stats on', async () => {
    const token = (await api().post('/api/v1/tokens').send({ name: 'mgmt-stats', vm: 'mgmt' }).expect(201)).body.token as string;
    const auth = { authorization: `Bearer ${token}` };
    const http = (await api().get('/api/v1/stats').set(auth).expect(200)).body as Sample;
    expect(http.vms.map((v) => v.name)).toEqual(['busy']);
    const [ws] = await samples('', 1, auth);
    expect(ws.vms.map((v) => v.name)).toEqual(['busy']);
  });
});
