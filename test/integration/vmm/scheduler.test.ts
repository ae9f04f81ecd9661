import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../helpers/server.js';

let server: TestServer;
const api = () => request(server.url);

beforeAll(async () => {
  server = await startServer();
  for (const name of ['cpu1', 'cpu2']) {
    await api().post('/api/v1/vms').send({ name, class: 'StandaloneVM', label: 'red', properties: { kernel: 'spin', memory: 4, vcpus: 1 } }).expect(201);
  }
  await api().post('/api/v1/vms').send({ name: 'sleeper', class: 'StandaloneVM', label: 'red', properties: { memory: 4, vcpus: 1 } }).expect(201);
});
afterAll(() => server.close());

describe('scheduler', () => {
  it('gives two CPU-bound VMs instruction shares within 10% while the API keeps answering', async () => {
    await api().post('/api/v1/vms/sleeper/start').expect(200);
    await api().post('/api/v1/vms/cpu1/start').expect(200);
    await api().post('/api/v1/vms/cpu2/start').expect(200);
    const slowest: number[] = [];
    for (let i = 0; i < 30; i++) {
      const t0 = performance.now();
      await api().get('/healthz').expect(200);
      slowest.push(performance.now() - t0);
      await new Promise((r) => setTimeout(r, 20));
    }
    const [a, b] = await Promise.all(['cpu1', 'cpu2'].map(async (n) => (await api().get(`/api/v1/vms/${n}/stats`)).body.instructions as number));
    expect(a).toBeGreaterThan(10_000_000);
    expect(Math.abs(a - b) / Math.max(a, b)).toBeLessThan(0.1);
    // a loose bound: the API is never starved (slices are a few milliseconds)
    expect(Math.max(...slowest)).toBeLessThan(2000);
    const sleeper = (await api().get('/api/v1/vms/sleeper/stats')).body;
    expect(sleeper.vcpus[0].state).toBe('blocked');
    expect(sleeper.instructions).toBeLessThan(1000);
    await api().post('/api/v1/vms/cpu1/kill').expect(200);
    await api().post('/api/v1/vms/cpu2/kill').expect(200);
  });
});
