/**
 * bench:smp: vCPUs on CPU worker threads (issue 15), each figure beside its reference in the same run.
 * - /healthz p50/p99 polled from this process while 2 × K spin guests run in a manager process with
 *   K CPU workers, beside the same manager idle, and beside a manager with CELLA_CPUS=0 (every vCPU
 *   on the event loop, the design before workers) under the same load;
 * - K CPU-bound VMs on K CPUs: total instructions per second beside one VM alone;
 * - one VM's instructions per second inside the manager beside the same program on run-elf's loop
 *   (the vCPU and PV kernel in this process, no manager);
 * - guest-to-guest event round trips (the ping/pong demo) on two CPUs, on one, and on the event loop;
 * - fairness of 4 CPU-bound VMs on one CPU.
 * A plain run prints; `--write` also updates docs/benchmarks.md. BENCH_SECONDS (default 3) per window,
 * BENCH_CPUS (default: the host's available parallelism) for K.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { setTimeout as wait } from 'node:timers/promises';
import { BufferInput, BufferOutput } from '../src/guest-kernel/buffer-endpoints.js';
import { stdioTable } from '../src/guest-kernel/fd-endpoint.js';
import { startGuestProgram } from '../src/guest-kernel/guest-program.js';
import { IMAGES_DIR } from '../src/run-elf/image-path.js';
import { Store } from '../src/store/store.js';
import { Manager } from '../src/vmm/manager.js';
import { machine, today, writeSection } from './lib/report.js';

const K = Number(process.env.BENCH_CPUS ?? availableParallelism());
const SECONDS = Number(process.env.BENCH_SECONDS ?? 3);
const POLLS = 400;
const ROOT = new URL('..', import.meta.url).pathname;
const fmt = (n: number, digits = 0) => n.toLocaleString('en-US', { maximumFractionDigits: digits, minimumFractionDigits: digits });
const mips = (ips: number) => `${fmt(ips / 1e6, 1)} MIPS`;

// ---- /healthz from another process ----

async function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const port = (s.address() as { port: number }).port;
      s.close(() => resolve(port));
    });
  });
}

interface ManagerProcess { url: string; child: ChildProcess; dir: string }

async function startManagerProcess(cpus: number): Promise<ManagerProcess> {
  const dir = mkdtempSync(join(tmpdir(), 'cella-bench-smp-'));
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, CELLA_DATA: dir, CELLA_PORT: String(port), CELLA_CPUS: String(cpus), CELLA_LOG_LEVEL: 'warn' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  const url = `http://127.0.0.1:${port}`;
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${url}/healthz`)).ok) break;
    } catch {
      if (i > 300) throw new Error('the manager did not start');
    }
    await wait(50);
  }
  return { url, child, dir };
}

async function stopManagerProcess(m: ManagerProcess): Promise<void> {
  const exited = new Promise((r) => m.child.once('exit', r));
  m.child.kill('SIGKILL');
  await exited;
  rmSync(m.dir, { recursive: true, force: true });
}

const percentile = (sorted: number[], p: number) => sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))];

async function pollHealthz(url: string): Promise<{ p50: number; p99: number }> {
  for (let i = 0; i < 20; i++) await (await fetch(`${url}/healthz`)).text();
  const ms: number[] = [];
  for (let i = 0; i < POLLS; i++) {
    const t0 = performance.now();
    await (await fetch(`${url}/healthz`)).text();
    ms.push(performance.now() - t0);
    await wait(2);
  }
  ms.sort((a, b) => a - b);
  return { p50: percentile(ms, 0.5), p99: percentile(ms, 0.99) };
}

async function post(url: string, path: string, body?: unknown): Promise<void> {
  const res = await fetch(`${url}${path}`, { method: 'POST', headers: body ? { 'content-type': 'application/json' } : {}, body: body ? JSON.stringify(body) : undefined });
  if (!res.ok) throw new Error(`POST ${path}: ${res.status} ${await res.text()}`);
}

async function healthz(cpus: number, spinners: number): Promise<{ idle: { p50: number; p99: number }; busy: { p50: number; p99: number } }> {
  const m = await startManagerProcess(cpus);
  try {
    const idle = await pollHealthz(m.url);
    for (let i = 0; i < spinners; i++) {
      await post(m.url, '/api/v1/vms', { name: `spin${i}`, class: 'StandaloneVM', label: 'red', properties: { kernel: 'spin', memory: 4, vcpus: 1 } });
      await post(m.url, `/api/v1/vms/spin${i}/start`);
    }
    await wait(1000);
    const busy = await pollHealthz(m.url);
    return { idle, busy };
  } finally {
    await stopManagerProcess(m);
  }
}

// ---- in this process: instruction rates, round trips, fairness ----

async function openManager(cpus: number): Promise<{ manager: Manager; close(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), 'cella-bench-smp-'));
  const manager = await Manager.open(await Store.open(`file:${join(dir, 'cella.db')}`), { snapshotDir: join(dir, 'snapshots'), cpus });
  return {
    manager,
    async close() {
      await manager.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

async function instructionsOf(manager: Manager, name: string): Promise<number> {
  return (await manager.execute({ type: 'vm.stats', name })).instructions;
}

/** Instructions per second of each of `names` (already running) over one window. */
async function rates(manager: Manager, names: string[]): Promise<number[]> {
  await wait(300);
  const before = await Promise.all(names.map((n) => instructionsOf(manager, n)));
  const t0 = performance.now();
  await wait(SECONDS * 1000);
  const after = await Promise.all(names.map((n) => instructionsOf(manager, n)));
  const s = (performance.now() - t0) / 1000;
  return after.map((a, i) => (a - before[i]) / s);
}

async function spinners(manager: Manager, names: string[]): Promise<void> {
  for (const name of names) {
    await manager.execute({ type: 'vm.create', name, klass: 'StandaloneVM', label: 'red', properties: { kernel: 'spin', memory: 4, vcpus: 1 } });
    await manager.execute({ type: 'vm.start', name });
  }
}

async function killAll(manager: Manager, names: string[]): Promise<void> {
  for (const name of names) await manager.execute({ type: 'vm.kill', name });
}

/** The spin guest on run-elf's loop: its vCPU and PV kernel in this process, no manager. */
function runElfRate(): number {
  const out = new BufferOutput();
  const p = startGuestProgram(new Uint8Array(readFileSync(`${IMAGES_DIR}spin.elf`)), { argv: ['spin'], fds: stdioTable(new BufferInput(), out, out), memoryMiB: 4 });
  if ('code' in p) throw new Error(p.message);
  const { vcpu } = p;
  const end = performance.now() + SECONDS * 1000;
  let warm = 0;
  let t0 = 0;
  while (performance.now() < end || t0 === 0) {
    const e = vcpu.run(1_000_000);
    if (e.reason === 'ecall') p.process.handleEcall(vcpu);
    else if (e.reason !== 'budget') throw new Error(`spin stopped: ${e.reason}`);
    if (t0 === 0 && vcpu.instret > 5_000_000) {
      warm = vcpu.instret;
      t0 = performance.now();
    }
  }
  return (vcpu.instret - warm) / ((performance.now() - t0) / 1000);
}

async function roundTrips(cpus: number, rounds: number): Promise<number> {
  const { manager, close } = await openManager(cpus);
  try {
    for (const [name, kernel, peer] of [['pong', 'pong', 'ping'], ['ping', 'ping', 'pong']]) {
      await manager.execute({ type: 'vm.create', name, klass: 'StandaloneVM', label: 'red', properties: { kernel, memory: 4, vcpus: 1 } });
      await manager.execute({ type: 'vm.feature.set', name, feature: 'vm-config.peer', value: peer });
      await manager.execute({ type: 'vm.feature.set', name, feature: 'vm-config.rounds', value: String(rounds) });
    }
    const t0 = performance.now();
    await manager.execute({ type: 'vm.start', name: 'pong' });
    await manager.execute({ type: 'vm.start', name: 'ping' });
    for (;;) {
      const states = await Promise.all(['ping', 'pong'].map(async (name) => (await manager.execute({ type: 'vm.get', name })).state));
      if (states.every((s) => s === 'halted')) break;
      await wait(1);
    }
    return rounds / ((performance.now() - t0) / 1000);
  } finally {
    await close();
  }
}

async function main(): Promise<void> {
  console.log(`bench:smp: K=${K} CPU workers, ${SECONDS} s windows, ${machine()}`);

  const workers = await healthz(K, 2 * K);
  console.log(`healthz, ${2 * K} spinning, CELLA_CPUS=${K}: idle p50 ${fmt(workers.idle.p50, 2)} p99 ${fmt(workers.idle.p99, 2)} ms; busy p50 ${fmt(workers.busy.p50, 2)} p99 ${fmt(workers.busy.p99, 2)} ms`);
  const loop = await healthz(0, 2 * K);
  console.log(`healthz, ${2 * K} spinning, CELLA_CPUS=0: idle p50 ${fmt(loop.idle.p50, 2)} p99 ${fmt(loop.idle.p99, 2)} ms; busy p50 ${fmt(loop.busy.p50, 2)} p99 ${fmt(loop.busy.p99, 2)} ms`);

  // one VM alone and K together, on K CPUs; the run-elf loop before and after, as the reference
  const elfBefore = runElfRate();
  const { manager, close } = await openManager(K);
  let alone: number;
  let together: number[];
  try {
    await spinners(manager, ['alone']);
    [alone] = await rates(manager, ['alone']);
    await killAll(manager, ['alone']);
    const names = Array.from({ length: K }, (_, i) => `k${i}`);
    await spinners(manager, names);
    together = await rates(manager, names);
    await killAll(manager, names);
  } finally {
    await close();
  }
  const elfAfter = runElfRate();
  const elf = Math.max(elfBefore, elfAfter);
  const total = together.reduce((a, b) => a + b, 0);
  console.log(`run-elf loop ${mips(elfBefore)} / ${mips(elfAfter)}; one VM in the manager ${mips(alone)} (${fmt((alone / elf) * 100)}%); ${K} VMs on ${K} CPUs ${mips(total)} = ${fmt(total / (K * alone), 2)} × K × alone`);

  // fairness: 4 on one CPU
  const one = await openManager(1);
  let shares: number[];
  try {
    const names = ['f0', 'f1', 'f2', 'f3'];
    await spinners(one.manager, names);
    shares = await rates(one.manager, names);
    await killAll(one.manager, names);
  } finally {
    await one.close();
  }
  const spread = (Math.max(...shares) - Math.min(...shares)) / Math.max(...shares);
  console.log(`fairness, 4 VMs on one CPU: ${shares.map((s) => mips(s)).join(', ')}; spread ${fmt(spread * 100, 1)}%`);

  const ROUNDS = 20_000;
  const rt = { two: await roundTrips(2, ROUNDS), one: await roundTrips(1, ROUNDS), loop: await roundTrips(0, ROUNDS) };
  console.log(`event round trips (${fmt(ROUNDS)} rounds, start-up included): two CPUs ${fmt(rt.two)}/s, one CPU ${fmt(rt.one)}/s, event loop ${fmt(rt.loop)}/s`);

  const ok = (b: boolean) => (b ? 'met' : '**not met**');
  const markdown = `## vCPUs on CPU workers (bench:smp)

Measured ${today()} on ${machine()}, \`npm run bench:smp -- --write\` (K = ${K} CPU workers, ${SECONDS} s windows).
Each figure is beside its reference from the same run.

| figure | measured | reference (same run) | goal |
| --- | ---: | ---: | --- |
| /healthz p50, ${2 * K} guests spinning, CELLA_CPUS=${K} (polled from another process, ${POLLS} requests) | ${fmt(workers.busy.p50, 2)} ms | idle manager ${fmt(workers.idle.p50, 2)} ms; CELLA_CPUS=0 under the same load ${fmt(loop.busy.p50, 2)} ms | ≤ 2 ms: ${ok(workers.busy.p50 <= 2)} |
| /healthz p99, same | ${fmt(workers.busy.p99, 2)} ms | idle manager ${fmt(workers.idle.p99, 2)} ms; CELLA_CPUS=0 ${fmt(loop.busy.p99, 2)} ms | ≤ 2 × idle: ${ok(workers.busy.p99 <= 2 * workers.idle.p99)} |
| ${K} CPU-bound VMs on ${K} CPUs, total | ${mips(total)} | one VM alone ${mips(alone)} (× ${K} = ${mips(K * alone)}) | ≥ 0.8 × K × alone: ${fmt(total / (K * alone), 2)}, ${ok(total >= 0.8 * K * alone)} |
| one VM's vCPU in the manager (spin, on a CPU worker) | ${mips(alone)} | run-elf's loop in this process ${mips(elfBefore)} before, ${mips(elfAfter)} after | ≥ 90%: ${fmt((alone / elf) * 100)}% of the better, ${ok(alone >= 0.9 * elf)} |
| fairness, 4 CPU-bound VMs on one CPU | spread ${fmt(spread * 100, 1)}% (${shares.map((s) => fmt(s / 1e6, 1)).join(', ')} MIPS) | – | within 10%: ${ok(spread <= 0.1)} |
| guest-to-guest event round trips (ping/pong, ${fmt(ROUNDS)} rounds, start-up included), two CPUs | ${fmt(rt.two)}/s | vCPUs on the event loop (CELLA_CPUS=0) ${fmt(rt.loop)}/s; bench:evtchn's 101k/s | reported |
| the same, both on one CPU | ${fmt(rt.one)}/s | as above | reported |

The ping/pong guests exit every few dozen instructions, so the scheduler runs them on the main
thread between their exits (\`INLINE_RUN_LENGTH\`, docs/design.md): their round trips cost what they
cost before workers, on one CPU or two. CPU-bound guests run on their CPU's worker and leave the
event loop to the API.`;
  console.log(`\n${markdown}`);
  if (process.argv.includes('--write')) writeSection('smp', markdown);
  else console.log('\n(not written: run with --write to update docs/benchmarks.md)');
}

await main();
