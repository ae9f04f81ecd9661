/**
 * Fuzzes a fresh manager with malformed requests generated from openapi/openapi.json and reports
 * every answer that breaks the contract (a 5xx, an error that is not problem+json, no answer).
 * `npm run fuzz:api -- [COUNT] [SEED]` (default 100000 requests, seed 1); exit 1 on any breach.
 */
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runFuzz } from '../test/helpers/openapi-fuzz.js';
import { startServer } from '../test/helpers/server.js';

const count = Number(process.argv[2] ?? 100_000);
const seed = Number(process.argv[3] ?? 1);
const doc = JSON.parse(readFileSync(new URL('../openapi/openapi.json', import.meta.url), 'utf8'));
const dir = mkdtempSync(join(tmpdir(), 'cella-fuzz-'));
const server = await startServer({ dir });
await server.manager.execute({ type: 'vm.create', name: 'fedora', klass: 'TemplateVM', label: 'black', properties: {} });
await server.manager.execute({ type: 'vm.create', name: 'work', klass: 'AppVM', label: 'blue', template: 'fedora', properties: {} });
const started = performance.now();
const { failures, statuses } = await runFuzz(server.url, doc, seed, count);
const seconds = (performance.now() - started) / 1000;
await server.close();
rmSync(dir, { recursive: true, force: true });
const byStatus = [...statuses].sort(([a], [b]) => a - b).map(([s, n]) => `${s}: ${n}`).join(', ');
console.log(`${count} requests (seed ${seed}) in ${seconds.toFixed(1)} s; answers ${byStatus}`);
for (const f of failures.slice(0, 20)) console.log(`BREACH ${f.request.method} ${f.request.path.slice(0, 160)} → ${f.reason}`);
console.log(failures.length === 0 ? 'no breach' : `${failures.length} breaches`);
process.exit(failures.length === 0 ? 0 : 1);
