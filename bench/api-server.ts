/**
 * The server side of bench:api, in its own process: the real manager on a temp SQLite file
 * (100 VMs, 100+ events) and, beside it, a bare Fastify instance whose routes serve the very
 * bytes Cella answered (fetched once from Cella at start), so each pair differs only in the work
 * Cella does per request. A control route on the bare instance removes the VMs a POST-only run
 * created, between runs, so every run of the list sees the same 100 VMs.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Fastify from 'fastify';
import { buildApp } from '../src/api/app.js';
import { Store } from '../src/store/store.js';
import { Manager } from '../src/vmm/manager.js';
import { BENCH_PREFIX, EVENTS_PATH, LIST_PATH } from './lib/api-paths.js';


const dir = mkdtempSync(join(tmpdir(), 'cella-bench-api-'));
const manager = await Manager.open(await Store.open(`file:${join(dir, 'cella.db')}`), { autostart: false, snapshotDir: join(dir, 'snapshots') });
await manager.execute({ type: 'vm.create', name: 'fedora', klass: 'TemplateVM', label: 'black', properties: {} });
for (let i = 0; i < 99; i++) {
  await manager.execute({ type: 'vm.create', name: `vm${i}`, klass: 'AppVM', label: 'blue', template: 'fedora', properties: {} });
}
const app = await buildApp({ manager });
await app.listen({ host: '127.0.0.1', port: 0 });
const port = (a: ReturnType<typeof app.server.address>) => (typeof a === 'object' && a ? a.port : 0);
const cella = `http://127.0.0.1:${port(app.server.address())}`;

interface Captured {
  status: number;
  type: string;
  body: string;
}

async function capture(path: string, init?: RequestInit): Promise<Captured> {
  const res = await fetch(cella + path, init);
  return { status: res.status, type: res.headers.get('content-type') ?? 'application/json', body: await res.text() };
}

const list = await capture(LIST_PATH);
const events = await capture(EVENTS_PATH);
const post = { method: 'POST', headers: { 'content-type': 'application/json' } };
const created = await capture('/api/v1/vms', { ...post, body: JSON.stringify({ name: `${BENCH_PREFIX}probe`, label: 'red', template: 'fedora' }) });
const deleted = await capture(`/api/v1/vms/${BENCH_PREFIX}probe`, { method: 'DELETE' });
for (const c of [list, events, created, deleted]) if (c.status >= 300) throw new Error(`Cella answered ${c.status}: ${c.body}`);

const bare = Fastify();
// a Buffer, as Cella's page cache sends: the reference pays no encoding either
const serve = (c: Captured) => {
  const bytes = Buffer.from(c.body);
  return async (_req: unknown, reply: import('fastify').FastifyReply) =>
    c.status === 204 ? reply.code(204).send() : reply.code(c.status).type(c.type).send(bytes);
};
bare.get('/api/v1/vms', serve(list));
bare.get('/api/v1/events', serve(events));
bare.post('/api/v1/vms', serve(created));
bare.delete('/api/v1/vms/:name', serve(deleted));
/**
 * Removes the VMs a run created (not timed; 64 at a time, so that they commit in groups), until a
 * moment passes with none left (creates still in flight when the load stopped land meanwhile);
 * answers how many.
 */
bare.post('/control/reset', async () => {
  let removed = 0;
  for (;;) {
    await new Promise((resolve) => setTimeout(resolve, 200));
    const page = await manager.execute({ type: 'vm.list', filter: {}, offset: 0, limit: 1_000_000 });
    const names = page.items.filter((v) => v.name.startsWith(BENCH_PREFIX)).map((v) => v.name);
    if (names.length === 0) return { removed };
    for (let i = 0; i < names.length; i += 64) {
      await Promise.all(names.slice(i, i + 64).map((name) => manager.execute({ type: 'vm.delete', name })));
    }
    removed += names.length;
  }
});
/** The bytes the bare routes serve, so the client can check Cella still answers them. */
bare.get('/control/expected', async () => ({ list: list.body, events: events.body }));
await bare.listen({ host: '127.0.0.1', port: 0 });

process.stdout.write(
  `${JSON.stringify({ cella: port(app.server.address()), bare: port(bare.server.address()), dir, bytes: { list: list.body.length, events: events.body.length, created: created.body.length } })}\n`,
);
