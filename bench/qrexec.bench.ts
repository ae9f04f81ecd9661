/**
 * bench:qrexec: qrexec call latency (p50/p99) VM→VM and dom0→VM, in process and through the REST
 * API; data throughput of a call; and vchan ring throughput per ring size beside a plain memory
 * copy of the same chunk size, in the same run.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildApp } from '../src/api/app.js';
import { libxenvchanClientInit, libxenvchanServerInit, FrameRange, type Libxenvchan } from '../src/qrexec/vchan/index.js';
import { Store } from '../src/store/store.js';
import { ForeignFrameWindow } from '../src/vcpu/foreign-frame-window.js';
import { GuestMemory } from '../src/vcpu/guest-memory.js';
import { RAM_BASE } from '../src/vcpu/memory-layout.js';
import { GRANT_MAP_WINDOW_BASE } from '../src/grant-tables/grant-domain.js';
import { Hypervisor, ROOT_PD_SEL } from '../src/hypervisor/hypervisor.js';
import { Manager } from '../src/vmm/manager.js';
import { Pipe } from '../src/guest-kernel/pipe.js';
import { XenServices } from '../src/vmm/domain/xen-services.js';
import { machine, today, writeSection } from './lib/report.js';

const CALLS = Number(process.env.QREXEC_BENCH_CALLS ?? 400);
const WARMUP = 40;

interface Latency {
  p50: number;
  p99: number;
  mean: number;
}

async function latency(calls: number, one: () => Promise<void>): Promise<Latency> {
  for (let i = 0; i < WARMUP; i++) await one();
  const ms: number[] = [];
  for (let i = 0; i < calls; i++) {
    const t0 = performance.now();
    await one();
    ms.push(performance.now() - t0);
  }
  ms.sort((a, b) => a - b);
  const at = (q: number) => ms[Math.min(ms.length - 1, Math.floor(q * ms.length))];
  return { p50: at(0.5), p99: at(0.99), mean: ms.reduce((s, x) => s + x, 0) / ms.length };
}

/** Everything a pipe receives, once its writer closes. */
function drain(p: Pipe): Promise<number> {
  return new Promise((resolve) => {
    let n = 0;
    const pump = () => {
      for (;;) {
        const got = p.reader.read(1 << 20);
        if (got === 'eof') return resolve(n);
        if (!(got instanceof Uint8Array)) return;
        n += got.length;
      }
    };
    p.watch(pump);
    pump();
  });
}

function expectExit(code: number, what: string): void {
  if (code !== 0) throw new Error(`${what}: exit code ${code}`);
}

// ---- vchan ring throughput (two domains, no guest: the ring's own cost) ----

function vchanPair(ringBytes: number): { server: Libxenvchan; client: Libxenvchan } {
  const hv = new Hypervisor();
  const xen = new XenServices(hv, { eventPending: () => undefined, watchFired: () => undefined });
  for (const domid of [1, 2]) {
    hv.createPd(hv.root, domid + 100, ROOT_PD_SEL, domid, `d${domid}`, GuestMemory.ofMiB(8));
    const pd = hv.domain(domid)!;
    pd.foreignFrames = new ForeignFrameWindow();
    pd.memory!.outside = pd.foreignFrames;
    xen.introduce(domid, `d${domid}`, 1023, {});
    xen.grants.setupTable(domid, domid, [RAM_BASE + 0x1000, RAM_BASE + 0x2000]);
  }
  const host = { evtchn: xen.evtchn, grants: xen.grants, xenstore: xen.store };
  const frames = new FrameRange(RAM_BASE + 0x10000, 1024);
  const s = libxenvchanServerInit(host, { domid: 1, peer: 2, port: 600, leftMin: ringBytes, rightMin: ringBytes, frames });
  if (!s.ok) throw new Error(JSON.stringify(s.error));
  const c = libxenvchanClientInit(host, { domid: 2, server: 1, port: 600, slots: new FrameRange(GRANT_MAP_WINDOW_BASE, 1024) });
  if (!c.ok) throw new Error(JSON.stringify(c.error));
  return { server: s.value, client: c.value };
}

/** MB/s through one direction of the ring: the client writes what fits, the server reads it out. */
function ringThroughput(ringBytes: number, seconds: number): number {
  const { server, client } = vchanPair(ringBytes);
  const src = new Uint8Array(ringBytes).map((_, i) => i);
  const dst = new Uint8Array(ringBytes);
  let moved = 0;
  const t0 = performance.now();
  let now = t0;
  while (now - t0 < seconds * 1000) {
    for (let i = 0; i < 64; i++) {
      client.write(src, 0, ringBytes);
      moved += server.readInto(dst, 0, ringBytes);
    }
    now = performance.now();
  }
  if (Buffer.compare(dst, src) !== 0) throw new Error('the ring corrupted the data');
  return moved / 1e6 / ((now - t0) / 1000);
}

/** MB/s of a plain copy of the same chunk size (Uint8Array.set), the ceiling for one copy. */
function memcpyThroughput(bytes: number, seconds: number): number {
  const src = new Uint8Array(bytes).map((_, i) => i);
  const dst = new Uint8Array(bytes);
  let moved = 0;
  const t0 = performance.now();
  let now = t0;
  while (now - t0 < seconds * 1000) {
    for (let i = 0; i < 64; i++) {
      dst.set(src);
      moved += bytes;
    }
    now = performance.now();
  }
  return moved / 1e6 / ((now - t0) / 1000);
}

// ---- calls ----

const dir = mkdtempSync(join(tmpdir(), 'cella-bench-qrexec-'));
try {
  const manager = await Manager.open(await Store.open(`file:${join(dir, 'cella.db')}`));
  for (const name of ['a', 'b']) {
    await manager.execute({ type: 'vm.create', name, klass: 'StandaloneVM', label: 'red', properties: { memory: 32 } });
  }
  await manager.execute({
    type: 'policy.put', name: '30-bench.policy', ifMatch: null, ifNoneMatch: false, by: 'bench',
    content: 'qubes.WaitForSession * a b allow\ncella.Echo * a b allow\n',
  });
  for (const name of ['a', 'b']) await manager.execute({ type: 'vm.start', name });
  const agentA = (await manager.lifecycle.instanceOf('a'))!.agent!;

  const dom0Call = (service: string, stdin = new Uint8Array(0)) => async () => {
    const r = await manager.execute({ type: 'vm.qrexec', request: { name: 'b', service, argument: '', command: null, autostart: false }, stdin });
    expectExit(r.outcome.exitCode, service);
  };
  /** A call made by VM a's kernel agent: the path of the qrexec_call hypercall, policy included. */
  const vmA = (await manager.lifecycle.instanceOf('a'))!;
  const ended = new Map<string, (code: number) => void>();
  const guestEnded = agentA.onCallEnded;
  agentA.onCallEnded = (ident, outcome) => {
    guestEnded(ident, outcome);
    ended.get(ident)?.(outcome.exitCode);
  };
  const vmCall = (service: string, payload = new Uint8Array(0)) => async () => {
    const [stdin, stdout, stderr] = [vmA.objects.pipe(), vmA.objects.pipe(), vmA.objects.pipe()];
    if (payload.length > 0) stdin.writer.write(payload);
    stdin.writer.close();
    const out = drain(stdout);
    void drain(stderr);
    const ident = agentA.call('b', service, { stdin: { kind: 'pipe-r', id: stdin.id }, stdout: { kind: 'pipe-w', id: stdout.id }, stderr: { kind: 'pipe-w', id: stderr.id } });
    expectExit(await new Promise<number>((resolve) => ended.set(ident, resolve)), service);
    await out;
  };
  /** dom0 runs qrexec-client-vm (a guest program) in a through qubes.VMShell: two calls and a process start. */
  const guestProgramCall = async () => {
    const stdin = new TextEncoder().encode('qrexec-client-vm b qubes.WaitForSession\n');
    const r = await manager.execute({ type: 'vm.qrexec', request: { name: 'a', service: 'qubes.VMShell', argument: '', command: null, autostart: false }, stdin });
    expectExit(r.outcome.exitCode, 'qrexec-client-vm');
  };

  const one = new Uint8Array([0x2a]);
  const rows: [string, Latency][] = [];
  rows.push(['dom0 → VM, in process: qubes.WaitForSession (built into the PV kernel)', await latency(CALLS, dom0Call('qubes.WaitForSession'))]);
  rows.push(['dom0 → VM, in process: cella.Echo of 1 byte (a guest program started per call)', await latency(CALLS, dom0Call('cella.Echo', one))]);
  rows.push(['VM → VM, in process: qubes.WaitForSession from a’s agent (policy, SERVICE_CONNECT, data vchan between a and b)', await latency(CALLS, vmCall('qubes.WaitForSession'))]);
  rows.push(['VM → VM, in process: cella.Echo of 1 byte from a’s agent', await latency(CALLS, vmCall('cella.Echo', one))]);
  rows.push(['VM → VM from a guest program: `qrexec-client-vm b qubes.WaitForSession` run in a by dom0 (two calls and a process)', await latency(CALLS / 2, guestProgramCall)]);

  const app = await buildApp({ manager, logger: false });
  await app.listen({ host: '127.0.0.1', port: 0 });
  const address = app.server.address();
  const url = `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`;
  const rest = (vm: string, body: object) => async () => {
    const res = await fetch(`${url}/api/v1/vms/${vm}/qrexec`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify(body) });
    const json = (await res.json()) as { exit_code: number };
    if (res.status !== 200) throw new Error(`REST ${res.status}`);
    expectExit(json.exit_code, 'REST call');
  };
  rows.push(['dom0 → VM through REST: POST /api/v1/vms/b/qrexec qubes.WaitForSession', await latency(CALLS, rest('b', { service: 'qubes.WaitForSession', autostart: false }))]);
  rows.push(['VM → VM through REST: POST /api/v1/vms/a/qrexec qubes.VMShell running `qrexec-client-vm b qubes.WaitForSession`', await latency(CALLS / 2, rest('a', { service: 'qubes.VMShell', autostart: false, stdin: Buffer.from('qrexec-client-vm b qubes.WaitForSession\n').toString('base64') }))]);
  await app.close();

  // data through a call: dom0 → b's shell builtin `cat` → dom0 (both directions at once)
  const SIZE = 64 * 1024 * 1024;
  const big = new Uint8Array(SIZE).map((_, i) => i & 0xff);
  const t0 = performance.now();
  const dup = await manager.execute({ type: 'vm.qrexec', request: { name: 'b', service: null, argument: '', command: 'cat', autostart: false }, stdin: big });
  const duplexS = (performance.now() - t0) / 1000;
  expectExit(dup.outcome.exitCode, 'cat');
  if (dup.stdout.length !== SIZE) throw new Error(`cat returned ${dup.stdout.length} bytes`);
  const t1 = performance.now();
  const simplex = await manager.execute({ type: 'vm.qrexec', request: { name: 'b', service: null, argument: '', command: 'cat > sink', autostart: false }, stdin: big });
  const simplexS = (performance.now() - t1) / 1000;
  expectExit(simplex.outcome.exitCode, 'cat > sink');
  await manager.close();

  const ringRows = [1024, 4096, 65536, 1 << 20].map((size) => ({ size, ring: ringThroughput(size, 1), copy: memcpyThroughput(size, 1) }));

  const f = (ms: number) => (ms < 10 ? ms.toFixed(2) : ms.toFixed(1));
  const kib = (n: number) => (n >= 1 << 20 ? `${n >> 20} MiB` : `${n >> 10} KiB`);
  const markdown = `## qrexec (bench:qrexec)

Measured ${today()} on ${machine()}, \`npm run bench:qrexec\` (${CALLS} sequential calls per row after ${WARMUP} warm-up calls; the guest-program rows ${CALLS / 2}).

| call | p50 | p99 | mean |
|---|---|---|---|
${rows.map(([what, l]) => `| ${what} | **${f(l.p50)} ms** | ${f(l.p99)} ms | ${f(l.mean)} ms |`).join('\n')}

Qubes, for comparison (reference/qubes.md §5.1): **25–63 ms** mean for a VM→VM call into a running qube,
**38–63 ms** dom0→VM through the Admin API/qvm-run path (R4.3, Core Ultra 7 155H). Those include Linux
processes (qrexec-client-vm, a fork-server shell); ours start a guest program only in the rows that say so.

| data through one call | figure |
|---|---|
| dom0 → b → dom0 through the shell builtin \`cat\`, ${SIZE >> 20} MiB each way at once (duplex) | **${((SIZE / 1e6) / duplexS).toFixed(0)} MB/s** each way |
| dom0 → b into a file (\`cat > sink\`), ${SIZE >> 20} MiB (simplex) | **${((SIZE / 1e6) / simplexS).toFixed(0)} MB/s** |

Qubes: **~850 MB/s** VM→dom0 and **~317 MB/s** dom0→VM with \`dd\` (R4.0, #4334).

| vchan ring size (each direction) | ring: write + read through granted frames | plain copy of the same chunk (\`Uint8Array.set\`) |
|---|---|---|
${ringRows.map((r) => `| ${kib(r.size)} | **${r.ring.toFixed(0)} MB/s** | ${r.copy.toFixed(0)} MB/s |`).join('\n')}

A ring moves each byte twice (into the ring, out of it) plus the index and notify-byte work per chunk, so half of
the plain copy is its ceiling; small rings pay the per-chunk work more often.`;
  console.log(markdown);
  writeSection('qrexec', markdown);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
