/**
 * bench:api: requests per second of the real API, each route beside a bare Fastify route that
 * serves the very bytes Cella answered (api-server.ts captures them once), interleaved in one
 * run: GET /api/v1/vms (100 VMs), GET /api/v1/events (100 events), POST /api/v1/vms alone, and
 * POST + DELETE pairs. A plain run prints; `--write` also updates docs/benchmarks.md.
 * BENCH_SECONDS (default 5) per run, BENCH_ROUNDS (default 3) rounds, after a warm-up second of each.
 */
import { spawn } from 'node:child_process';
import { rmSync } from 'node:fs';
import { createInterface } from 'node:readline';
import autocannon from 'autocannon';
import { BENCH_PREFIX, EVENTS_PATH, LIST_PATH } from './lib/api-paths.js';
import { machine, today, writeSection } from './lib/report.js';

const WRITE = process.argv.includes('--write');
const DURATION = Number(process.env.BENCH_SECONDS ?? 5);
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
const CONNECTIONS = 10;

type Side = 'cella' | 'bare';

interface ServerInfo {
  cella: number;
  bare: number;
  dir: string;
  bytes: { list: number; events: number; created: number };
}

interface Case {
  id: string;
  what: string;
  bytes: (info: ServerInfo) => string;
  /** Requests per operation (a pair is two). */
  perOp: number;
  /** Operations per second Cella should reach, or its share of the bare route's. */
  goal: { ratio: number } | { opsPerSecond: number } | null;
  options: (port: number, tag: string) => autocannon.Options;
  /** The run created VMs: remove them before the next one. */
  creates: boolean;
}

async function startServer(): Promise<{ info: ServerInfo; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', new URL('./api-server.ts', import.meta.url).pathname], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const line = await new Promise<string>((resolve, reject) => {
    createInterface({ input: child.stdout! }).once('line', resolve);
    child.once('exit', (code) => reject(new Error(`bench server exited with ${code}`)));
  });
  return { info: JSON.parse(line) as ServerInfo, stop: () => child.kill('SIGTERM') };
}

const createBody = (name: string) => JSON.stringify({ name, label: 'red', template: 'fedora' });

function creates(port: number, tag: string): autocannon.Options {
  let next = 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: [
      {
        method: 'POST',
        path: '/api/v1/vms',
        headers: { 'content-type': 'application/json' },
        setupRequest: (req) => ({ ...req, body: createBody(`${BENCH_PREFIX}${tag}n${next++}`) }),
      },
    ],
  };
}

function createDeletePairs(port: number, tag: string): autocannon.Options {
  let next = 0;
  return {
    url: `http://127.0.0.1:${port}`,
    requests: [
      {
        method: 'POST',
        path: '/api/v1/vms',
        headers: { 'content-type': 'application/json' },
        setupRequest: (req, context) => {
          const name = `${BENCH_PREFIX}${tag}p${next++}`;
          (context as { name?: string }).name = name;
          return { ...req, body: createBody(name) };
        },
      },
      { method: 'DELETE', setupRequest: (req, context) => ({ ...req, path: `/api/v1/vms/${(context as { name?: string }).name}` }) },
    ],
  };
}

const CASES: Case[] = [
  {
    id: 'list', what: `GET ${LIST_PATH} (100 VMs)`, perOp: 1, goal: { ratio: 0.5 }, creates: false,
    bytes: (i) => `${i.bytes.list.toLocaleString('en')} B`,
    options: (port) => ({ url: `http://127.0.0.1:${port}${LIST_PATH}` }),
  },
  {
    id: 'events', what: `GET ${EVENTS_PATH} (100 events)`, perOp: 1, goal: { ratio: 0.5 }, creates: false,
    bytes: (i) => `${i.bytes.events.toLocaleString('en')} B`,
    options: (port) => ({ url: `http://127.0.0.1:${port}${EVENTS_PATH}` }),
  },
  {
    id: 'create', what: 'POST /api/v1/vms (creates)', perOp: 1, goal: { opsPerSecond: 500 }, creates: true,
    bytes: (i) => `${i.bytes.created.toLocaleString('en')} B`,
    options: creates,
  },
  {
    id: 'pairs', what: 'POST + DELETE /api/v1/vms (pairs)', perOp: 2, goal: null, creates: true,
    bytes: (i) => `${i.bytes.created.toLocaleString('en')} B + 204`,
    options: createDeletePairs,
  },
];

interface Sample {
  rps: number;
  p50: number;
  p99: number;
  bad: number;
}

const sample = (r: autocannon.Result): Sample => ({ rps: r.requests.average, p50: r.latency.p50, p99: r.latency.p99, bad: r.errors + r.non2xx + r.timeouts });
const median = (xs: number[]): number => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const int = (n: number) => Math.round(n).toLocaleString('en');
/** autocannon's latencies are whole milliseconds. */
const ms = (n: number) => (n < 1 ? '< 1' : String(Math.round(n)));
const pct = (n: number) => `${(n * 100).toFixed(n < 0.1 ? 1 : 0)}%`;

async function post(port: number, path: string): Promise<unknown> {
  const res = await fetch(`http://127.0.0.1:${port}${path}`, { method: 'POST' });
  return res.json();
}

/** Whether Cella still answers the bytes the bare routes serve (the runs changed nothing they show). */
async function sameBytes(info: ServerInfo): Promise<boolean> {
  const expected = (await (await fetch(`http://127.0.0.1:${info.bare}/control/expected`)).json()) as { list: string; events: string };
  const list = await (await fetch(`http://127.0.0.1:${info.cella}${LIST_PATH}`)).text();
  const events = await (await fetch(`http://127.0.0.1:${info.cella}${EVENTS_PATH}`)).text();
  return list === expected.list && events === expected.events;
}

const { info, stop } = await startServer();
const results = new Map<string, Record<Side, Sample[]>>(CASES.map((c) => [c.id, { cella: [], bare: [] }]));
let drift = 0;
try {
  // a second of each route on both sides first, not counted: the JIT warms up on neither side's time
  for (const c of CASES) {
    for (const side of ['cella', 'bare'] as Side[]) await autocannon({ connections: CONNECTIONS, duration: 1, ...c.options(info[side], `${side[0]}w`) });
    if (c.creates) await post(info.bare, '/control/reset');
  }
  for (let round = 0; round < ROUNDS; round++) {
    for (const c of CASES) {
      const order: Side[] = round % 2 === 0 ? ['cella', 'bare'] : ['bare', 'cella'];
      for (const side of order) {
        const r = await autocannon({ connections: CONNECTIONS, duration: DURATION, ...c.options(info[side], `${side[0]}${round}`) });
        results.get(c.id)![side].push(sample(r));
        process.stderr.write(`round ${round + 1}/${ROUNDS} ${c.id} ${side}: ${int(r.requests.average)} req/s\n`);
      }
      if (c.creates) await post(info.bare, '/control/reset');
    }
    if (!(await sameBytes(info))) drift++;
  }
} finally {
  stop();
  rmSync(info.dir, { recursive: true, force: true });
}

const rows: string[] = [];
const notes: string[] = [];
let bad = 0;
for (const c of CASES) {
  const { cella, bare } = results.get(c.id)!;
  const ratios = cella.map((s, i) => s.rps / bare[i].rps);
  const ops = median(cella.map((s) => s.rps)) / c.perOp;
  bad += [...cella, ...bare].reduce((a, s) => a + s.bad, 0);
  const ratio = `**${pct(median(ratios))}** (${pct(Math.min(...ratios))}–${pct(Math.max(...ratios))})`;
  const goal =
    c.goal === null
      ? `${int(ops)} pairs/s`
      : 'ratio' in c.goal
      ? `≥ ${pct(c.goal.ratio)} of bare: ${median(ratios) >= c.goal.ratio ? 'met' : 'not met'}`
      : `≥ ${int(c.goal.opsPerSecond)}/s: **${int(ops)}/s**, ${ops >= c.goal.opsPerSecond ? 'met' : 'not met'}`;
  const m = (xs: Sample[], k: keyof Sample) => median(xs.map((s) => s[k]));
  rows.push(
    `| ${c.what} | ${c.bytes(info)} | ${int(m(cella, 'rps'))} | ${ms(m(cella, 'p50'))} / ${ms(m(cella, 'p99'))} | ${int(m(bare, 'rps'))} | ${ms(m(bare, 'p50'))} / ${ms(m(bare, 'p99'))} | ${ratio} | ${goal} |`,
  );
  notes.push(`${c.id}: ${ratios.map(pct).join(', ')}`);
}

const markdown = `## API (bench:api)

Measured ${today()} on ${machine()}, \`npm run bench:api -- --write\`: autocannon, ${CONNECTIONS} connections,
${ROUNDS} rounds of ${DURATION} s per route after a warm-up second of each. One server process holds the real app (SQLite file in a temp dir, 100 VMs)
and a bare Fastify instance whose routes serve the very bytes Cella answered (status, content-type and body captured
once at start). Each round runs every Cella route and its bare twin back to back, alternating which goes first;
requests/s and latencies are medians over the rounds, the ratio is Cella / bare per round (median, and range).
VMs a create run made are removed between runs, untimed. The machine is shared with other agents, so absolute
figures wander between runs; the ratios are measured side by side.
Non-2xx or errors: ${bad}. Rounds after which Cella's list or events differed from the captured bytes: ${drift}.

| route | response | Cella req/s | Cella p50 / p99 ms | bare req/s | bare p50 / p99 ms | Cella / bare | goal |
|---|---|---:|---:|---:|---:|---:|---|
${rows.join('\n')}

Ratios per round: ${notes.join('; ')}.

The GETs answer from a page kept while nothing it shows changed (src/api/page-cache.ts), so what is left between
Cella and the bare route is routing, the hooks (auth, policy check, metrics) and the ETag. A create is an INSERT of
the VM and one of its event, committed together with the creates that arrived meanwhile (group commit,
docs/design.md); the bare route does no database work, so that ratio stays low by nature and the goal is the
absolute rate. What holds creates back: Prisma's client and query compiler, which every statement goes through,
raw ones too (about a third of a create's CPU in a profile of this benchmark), then better-sqlite3's statement
preparation and run (about a sixth).`;

console.log(markdown);
if (WRITE) writeSection('api', markdown);
else console.log('\n(not written: run with --write to update docs/benchmarks.md)');
