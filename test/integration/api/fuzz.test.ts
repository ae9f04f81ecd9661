/** Malformed requests generated from the OpenAPI document never get a 5xx, and every refusal is problem+json. */
import { readFileSync } from 'node:fs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runFuzz } from '../../helpers/openapi-fuzz.js';
import { seedTemplate, startServer, type TestServer } from '../../helpers/server.js';

const doc = JSON.parse(readFileSync(new URL('../../../openapi/openapi.json', import.meta.url), 'utf8'));
const SEED = Number(process.env.CELLA_FUZZ_SEED ?? 20261204);
const COUNT = Number(process.env.CELLA_FUZZ_COUNT ?? 1500);

let server: TestServer;

beforeAll(async () => {
  server = await startServer();
  await seedTemplate(server.manager);
  await server.manager.execute({ type: 'vm.create', name: 'work', klass: 'AppVM', label: 'blue', template: 'fedora', properties: {} });
});
afterAll(() => server.close());

describe('API fuzzing over the OpenAPI document', () => {
  it(`answers ${COUNT} malformed requests (seed ${SEED}) without a 5xx, each refusal a problem+json`, async () => {
    const { failures, statuses } = await runFuzz(server.url, doc, SEED, COUNT);
    expect(failures.slice(0, 5).map((f) => `${f.request.method} ${f.request.path.slice(0, 120)} [${f.request.headers['content-type'] ?? ''}] ${f.request.body.toString('utf8').slice(0, 80)} → ${f.reason}`)).toEqual([]);
    expect([...statuses.keys()].filter((s) => s >= 500)).toEqual([]);
    // the generator reaches the refusals that matter, not only 404s
    for (const status of [400, 404, 414]) expect(statuses.get(status) ?? 0).toBeGreaterThan(0);
    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
  });
});
