/**
 * bench:api: requests per second of the real API (GET /api/v1/vms with 100 VMs; create+delete
 * pairs) beside a bare Fastify route, all served by one child process and loaded by autocannon.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { machine, today, writeSection } from './lib/report.js';

const DURATION = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 10;

interface Ports {
  cella: number;
  bare: number;
  dir: string;
}

async function startServer(): Promise<{ ports: Ports; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./api-server.ts', import.meta.url).pathname], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return { ports: JSON.parse(line) as Ports, stop: () => child.kill('SIGTERM') };
}

async function load(opts: autocannon.Options): Promise<autocannon.Result> {
  return autocannon({ connections: CONNECTIONS, duration: DURATION, ...opts });
}

function createDeletePairs(port: number): autocannon.Options {
  let next = 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: [
      {
        method: 'POST',
        path: '/api/v1/vms',
        headers: { 'content-type': 'application/json' },
        setupRequest: (req, context) => {
          const name = `bench${next++}`;
          (context as { name?: string }).name = name;
          return { ...req, body: JSON.stringify({ name, label: 'red', template: 'fedora' }) };
        },
      },
      { method: 'DELETE', setupRequest: (req, context) => ({ ...req, path: `/api/v1/vms/${(context as { name?: string }).name}` }) },
    ],
  };
}

const { ports, stop } = await startServer();
try {
  const bare = await load({ url: `http://127.0.0.1:${ports.bare}/bare` });
  const list = await load({ url: `http://127.0.0.1:${ports.cella}/api/v1/vms?limit=100` });
  const pairs = await load(createDeletePairs(ports.cella));
  const rows = [
    ['bare Fastify route (GET /bare)', bare],
    ['GET /api/v1/vms, 100 VMs', list],
    ['POST + DELETE /api/v1/vms (requests)', pairs],
  ] as const;
  const errors = rows.map(([, r]) => r.errors + r.non2xx).reduce((a, b) => a + b, 0);
  const table = rows
    .map(([name, r]) => `| ${name} | ${Math.round(r.requests.average).toLocaleString('en')} | ${r.latency.p50} | ${r.latency.p99} |`)
    .join('\n');
  const markdown = `## API (bench:api)

Measured ${today()} on ${machine()}, \`npm run bench:api\`: autocannon, ${CONNECTIONS} connections, ${DURATION} s each,
against one server process (the real app on a SQLite file in a temp dir, and a bare Fastify instance beside it).
Non-2xx or errors during the run: ${errors}.

| what | requests/s | p50 ms | p99 ms |
|---|---|---|---|
${table}

Create+delete pairs per second: ${Math.round(pairs.requests.average / 2).toLocaleString('en')}. Every write is one SQLite
transaction holding the row and its event, serialised by the manager so that event ids stay in commit order.`;
  console.log(markdown);
  writeSection('api', markdown);
} finally {
  stop();
  rmSync(ports.dir, { recursive: true, force: true });
}
