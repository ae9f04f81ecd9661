/** The server side of bench:api, in its own process: the real manager on a temp SQLite file, and a bare Fastify route. */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { buildApp } from '../src/api/app.js';
import { Store } from '../src/store/store.js';
import { Manager } from '../src/vmm/manager.js';

const dir = mkdtempSync(join(tmpdir(), 'cella-bench-api-'));
const manager = await Manager.open(await Store.open(`file:${join(dir, 'cella.db')}`));
await manager.execute({ type: 'vm.create', name: 'fedora', klass: 'TemplateVM', label: 'black', properties: {} });
for (let i = 0; i < 99; i++) {
  await manager.execute({ type: 'vm.create', name: `vm${i}`, klass: 'AppVM', label: 'blue', template: 'fedora', properties: {} });
}
const app = await buildApp({ manager });
await app.listen({ host: '127.0.0.1', port: 0 });
const bare = Fastify();
bare.get('/bare', async () => ({ status: 'ok' }));
await bare.listen({ host: '127.0.0.1', port: 0 });
const port = (a: ReturnType<typeof app.server.address>) => (typeof a === 'object' && a ? a.port : 0);
process.stdout.write(`${JSON.stringify({ cella: port(app.server.address()), bare: port(bare.server.address()), dir })}\n`);
