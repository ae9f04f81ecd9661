/** The manager as `npm start` runs it takes the global caps from its environment (CELLA_MAX_*). */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import request from 'supertest';
import { describe, expect, it } from 'vitest';
import { until } from '../../helpers/until.js';

const ROOT = new URL('../../../', import.meta.url).pathname;

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const port = (server.address() as { port: number }).port;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('global caps from the environment', () => {
  it('CELLA_MAX_RUNNING_VMS=1 and CELLA_MAX_MEMORY_MIB refuse what would pass them, with 409 LIMIT_EXCEEDED', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'cella-settings-'));
    const port = await freePort();
    const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
      cwd: ROOT,
      env: { ...process.env, CELLA_DATA: dir, CELLA_PORT: String(port), CELLA_LOG_LEVEL: 'warn', CELLA_MAX_RUNNING_VMS: '1', CELLA_MAX_MEMORY_MIB: '100' },
      stdio: ['ignore', 'ignore', 'inherit'],
    });
    const exited = new Promise((resolve) => child.on('exit', resolve));
    try {
      const api = () => request(`http://127.0.0.1:${port}`);
      await until(async () => (await api().get('/healthz').catch(() => null))?.status === 200, 'the manager to answer', 30_000);
      for (const [name, memory] of [['one', 16], ['two', 16], ['big', 128]] as const) {
        await api().post('/api/v1/vms').send({ name, class: 'StandaloneVM', label: 'red', properties: { memory } }).expect(201);
      }
      const big = await api().post('/api/v1/vms/big/start').expect(409);
      expect(big.body).toMatchObject({ code: 'LIMIT_EXCEEDED', detail: expect.stringMatching(/CELLA_MAX_MEMORY_MIB/) });
      await api().post('/api/v1/vms/one/start').expect(200);
      const two = await api().post('/api/v1/vms/two/start').expect(409);
      expect(two.body).toMatchObject({ code: 'LIMIT_EXCEEDED', detail: expect.stringMatching(/CELLA_MAX_RUNNING_VMS/) });
    } finally {
      child.kill('SIGTERM');
      await exited;
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
