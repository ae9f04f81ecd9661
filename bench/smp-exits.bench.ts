/**
 * Prototype of the two exit designs of issue 15 (vCPUs on worker threads): exits per second of a
 * syscall-heavy guest and instructions per second of a CPU-bound one, with the PV kernel beside
 * the vCPU in the worker, with every exit served on the main thread, and in-process (today) as the
 * reference, all in the same run. Prints a table; the decision is in docs/design.md.
 */
import { Worker } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { BufferInput, BufferOutput } from '../src/guest-kernel/buffer-endpoints.js';
import { stdioTable } from '../src/guest-kernel/fd-endpoint.js';
import { startGuestProgram } from '../src/guest-kernel/guest-program.js';
import { runToExit } from '../src/guest-kernel/run-to-exit.js';
import { cpuBound, syscallHeavy } from './lib/exit-proto-programs.js';

const QUANTUM = 1_000_000;
// Node 20 has Atomics.waitAsync; the project's lib (es2022) does not declare it
const waitAsync = (Atomics as unknown as { waitAsync(a: Int32Array, i: number, v: number): { async: boolean; value: Promise<string> | string } }).waitAsync;
// a worker thread does not inherit tsx's loader: it registers it, then imports the TypeScript worker
const BOOT = `import('tsx/esm/api').then((t) => { t.register(); return import(${JSON.stringify(new URL('./lib/exit-proto.worker.ts', import.meta.url).href)}); })`;
interface Run { seconds: number; instructions: number; exits: number }

function inProcess(image: Uint8Array): Run {
  const out = new BufferOutput();
  const p = startGuestProgram(image, { argv: ['proto'], fds: stdioTable(new BufferInput(), out, out), memoryMiB: 1 });
  if ('code' in p) throw new Error(p.message);
  const t0 = performance.now();
  const o = runToExit(p, { slice: QUANTUM });
  if (o.kind !== 'exited') throw new Error(JSON.stringify(o));
  return { seconds: (performance.now() - t0) / 1000, instructions: p.vcpu.instret, exits: 0 };
}

async function inWorker(image: Uint8Array, design: 'worker' | 'main'): Promise<Run> {
  const ctlBuf = new SharedArrayBuffer(8), regsBuf = new SharedArrayBuffer(36 * 4);
  const w = new Worker(BOOT, { eval: true, workerData: { image, design, ctl: ctlBuf, regs: regsBuf, quantum: QUANTUM } });
  const done = new Promise<Run>((resolve, reject) => { w.once('message', resolve); w.once('error', reject); });
  if (design === 'main') {
    // the main thread's PV kernel: a vCPU object whose registers come from shared memory at each exit
    const out = new BufferOutput();
    const p = startGuestProgram(image, { argv: ['proto'], fds: stdioTable(new BufferInput(), out, out), memoryMiB: 1 });
    if ('code' in p) throw new Error(p.message);
    const ctl = new Int32Array(ctlBuf), regs = new Int32Array(regsBuf);
    let seen = 0;
    for (;;) {
      const r = waitAsync(ctl, 0, seen);
      if (r.async) await r.value;
      const seq = Atomics.load(ctl, 0);
      if (seq < 0) break;
      seen = seq;
      p.vcpu.x.set(regs.subarray(0, 32));
      p.vcpu.pc = regs[32];
      if (regs[33] === 1) {
        const o = p.process.handleEcall(p.vcpu);
        regs[34] = o.kind === 'exit' ? 1 : 0;
      }
      regs.set(p.vcpu.x, 0);
      regs[32] = p.vcpu.pc;
      Atomics.store(ctl, 1, seq);
      Atomics.notify(ctl, 1);
    }
  }
  const r = await done;
  await w.terminate();
  return r;
}

const best = (runs: Run[]): Run => runs.reduce((a, b) => (b.seconds < a.seconds ? b : a));
const ROUNDS = 3;
async function measure(name: string, image: Uint8Array) {
  const rows: string[] = [];
  const ref = best(Array.from({ length: ROUNDS }, () => inProcess(image)));
  rows.push(`| ${name} | in-process (today, reference) | ${(ref.instructions / ref.seconds / 1e6).toFixed(1)} | ${name === 'syscall-heavy' ? Math.round((ref.instructions / 4) / ref.seconds) : '-'} |`);
  for (const design of ['worker', 'main'] as const) {
    const runs: Run[] = [];
    for (let i = 0; i < ROUNDS; i++) runs.push(await inWorker(image, design));
    const r = best(runs);
    rows.push(`| ${name} | worker, exits served ${design === 'worker' ? 'in the worker' : 'on the main thread'} | ${(r.instructions / r.seconds / 1e6).toFixed(1)} | ${Math.round(r.exits / r.seconds)} |`);
  }
  return rows;
}

const N = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 200_000);
const rows = ['| guest | design | MIPS | exits/s |', '| --- | --- | ---: | ---: |',
  ...(await measure('syscall-heavy', syscallHeavy(N))), ...(await measure('cpu-bound', cpuBound(N * 500)))];
console.log(rows.join('\n'));
