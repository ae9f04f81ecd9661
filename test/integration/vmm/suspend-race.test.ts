/**
 * A guest that ends on its own while a suspend of it is under way (the suspend waits for its file
 * and for the store): the suspend is refused and the VM halts, or the suspend wins and the VM
 * resumes from its file. Never a VM left "suspended" with no file to resume it from.
 */
import request from 'supertest';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startServer, type TestServer } from '../../helpers/server.js';
import { until } from '../../helpers/until.js';

let server: TestServer;
const api = () => request(server.url);

beforeAll(async () => {
  server = await startServer({ cpus: 2 });
  await api().post('/api/v1/vms').send({ name: 'short', class: 'StandaloneVM', label: 'red', properties: { kernel: 'cpubench', memory: 8 } }).expect(201);
  // a run of a few million instructions: it ends while suspends are asked for
  await api().put('/api/v1/vms/short/features/kernel-args').send({ value: '20' }).expect(200);
});
afterAll(() => server.close());

describe('a guest ending while it is being suspended', () => {
  it('is either suspended and resumable, or refused and halted (30 rounds)', async () => {
    const outcomes = { suspended: 0, refused: 0 };
    for (let round = 0; round < 30; round++) {
      await api().post('/api/v1/vms/short/start').expect(200);
      let last = await api().post('/api/v1/vms/short/suspend').send({});
      // suspend again and again until the guest is gone or a suspend took it
      while (last.status === 200) {
        outcomes.suspended++;
        await api().post('/api/v1/vms/short/resume').send({}).expect(200);
        last = await api().post('/api/v1/vms/short/suspend').send({});
      }
      expect(last.status).toBe(409);
      outcomes.refused++;
      await until(async () => (await api().get('/api/v1/vms/short')).body.state === 'halted', 'short to halt');
    }
    expect(outcomes.suspended).toBeGreaterThan(0);
    expect(outcomes.refused).toBe(30);
  });
});
