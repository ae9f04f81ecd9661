/**
 * bench:snapshot: suspend-to-file and resume of one VM (64, 256 and 1024 MiB, 10 % and 100 % of its RAM
 * touched): latency, MB/s and file size, beside a plain write+fsync and read of a file of the same size.
 */
import { execFileSync } from 'node:child_process';
import { createHash, randomFillSync } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { open, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Store } from '../src/store/store.js';
import { FRAME_SIZE } from '../src/vcpu/memory-layout.js';
import type { GuestMemory } from '../src/vcpu/guest-memory.js';
import { Manager } from '../src/vmm/manager.js';
import { nonZeroFrames } from '../src/vmm/suspend/format/memory-source.js';
import { loadVm, openVmSnapshot } from '../src/vmm/suspend/vm-snapshot.js';
import { machine, today, writeSection } from './lib/report.js';
import { SeededRandom } from '../src/guest-kernel/seeded-random.js';

const SIZES = numbers(process.env.BENCH_SIZES ?? '64,256,1024');
const TOUCH = numbers(process.env.BENCH_TOUCH ?? '10,100');
const REPS = Number(process.env.BENCH_REPS ?? 5);
/** Touched shares at which resume after a manager restart is measured too. */
const COLD_TOUCH = numbers(process.env.BENCH_COLD_TOUCH ?? '100');
const MiB = 1024 * 1024;
/** The snapshot writer's and reader's buffer size; the plain file goes through the same. */
const CHUNK = MiB;
const PLAIN_FILE = 'plain.bin';

/** Times (ms) of one repetition. */
interface Run {
  suspend: number;
  resume: number;
  /** Parts, timed on the same file beside the manager: the non-zero-frame scan of suspend's plan, resume's two passes. */
  scan: number;
  verify: number;
  load: number;
  plainWrite: number;
  plainRead: number;
  plainHash: number;
  /** Filling a new buffer of the file's size: the first touch of fresh memory, which resume's load pass also pays. */
  freshTouch: number;
}

/** Medians over the repetitions of one point. */
interface Point extends Run {
  mib: number;
  touch: number;
  /** Non-zero frames in RAM when suspended, as a share of all frames. */
  touched: number;
  bytes: number;
  /** Slowest over fastest repetition, of suspend or resume, whichever is larger. */
  spread: number;
}

function numbers(raw: string): number[] {
  return raw.split(',').map((s) => Number(s.trim())).filter((n) => Number.isFinite(n) && n > 0);
}

function median(xs: readonly number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 === 1 ? s[m] : (s[m - 1] + s[m]) / 2;
}

async function timed(work: () => Promise<unknown> | unknown): Promise<number> {
  const t0 = performance.now();
  await work();
  return performance.now() - t0;
}

const mbps = (bytes: number, ms: number): number => bytes / 1e6 / (ms / 1000);

async function openManager(dir: string): Promise<Manager> {
  const most = Math.max(...SIZES);
  return Manager.open(await Store.open(`file:${join(dir, 'cella.db')}`), {
    snapshotDir: join(dir, 'snapshots'),
    limits: { maxVms: 16, maxRunningVms: 4, maxMemoryMiB: 4 * most },
  });
}


/**
 * Host-side touch: fills randomly chosen all-zero frames with random bytes until `percent` % of the RAM's
 * frames are non-zero (the kernel's own frames count and are left alone). Returns the share reached.
 */
function touch(memory: GuestMemory, percent: number): number {
  const frames = memory.size / FRAME_SIZE;
  const nonZero = nonZeroFrames(memory);
  const taken = new Set(nonZero);
  const zero = Array.from({ length: frames }, (_, f) => f).filter((f) => !taken.has(f));
  const want = Math.min(zero.length, Math.max(0, Math.round((frames * percent) / 100) - nonZero.length));
  const random = new SeededRandom(frames + percent);
  for (let i = 0; i < want; i++) {
    const j = i + Math.floor((random.next() / 2 ** 32) * (zero.length - i));
    [zero[i], zero[j]] = [zero[j], zero[i]];
    randomFillSync(memory.u8, zero[i] * FRAME_SIZE, FRAME_SIZE);
    memory.invalidate(zero[i] * FRAME_SIZE, FRAME_SIZE);
  }
  return (nonZero.length + want) / frames;
}

async function memoryOf(manager: Manager, name: string): Promise<GuestMemory> {
  return (await manager.lifecycle.instanceOf(name))!.pd.memory!;
}

/** One suspend and resume through the manager, each timed until its command resolves. */
async function cycle(manager: Manager, name: string, file: string): Promise<{ suspend: number; resume: number; bytes: number; id: string }> {
  const t0 = performance.now();
  const { snapshot } = await manager.execute({ type: 'vm.suspend', name, file });
  const t1 = performance.now();
  await manager.execute({ type: 'vm.resume', name });
  return { suspend: t1 - t0, resume: performance.now() - t1, bytes: snapshot.bytes, id: snapshot.id };
}

/**
 * Before each timed write: the last snapshot and plain file removed and the host's dirty pages and pending
 * discards flushed (`sync`), so that no write pays for the one before it.
 */
async function settle(manager: Manager, dir: string, snapshot: string | null): Promise<void> {
  if (snapshot !== null) await manager.execute({ type: 'snapshot.delete', id: snapshot });
  await rm(join(dir, PLAIN_FILE), { force: true });
  execFileSync('sync');
}

/** Resume's two passes over the file, timed apart: verify (read, walk, SHA-256) and load (read, copy into fresh RAM). */
async function resumeParts(path: string): Promise<{ verify: number; load: number }> {
  const t0 = performance.now();
  const opened = await openVmSnapshot(path);
  if (!opened.ok) throw new Error(opened.error.message);
  const t1 = performance.now();
  try {
    const loaded = await loadVm(opened.value, opened.value.header.vms[0].uuid);
    if (!loaded.ok) throw new Error(loaded.error.message);
  } finally {
    await opened.value.view.close();
  }
  return { verify: t1 - t0, load: performance.now() - t1 };
}

/** Writes `bytes` in CHUNK writes to a new file, then fsyncs and closes it, as the snapshot writer does. */
async function writePlain(path: string, bytes: number, chunk: Buffer): Promise<number> {
  return timed(async () => {
    const file = await open(path, 'w', 0o600);
    try {
      for (let done = 0; done < bytes; ) {
        const { bytesWritten } = await file.write(chunk, 0, Math.min(CHUNK, bytes - done), done);
        done += bytesWritten;
      }
      await file.sync();
    } finally {
      await file.close();
    }
  });
}

/** Reads a whole file in CHUNK reads, hashing it with SHA-256 when asked. */
async function readPlain(path: string, sha256: boolean): Promise<number> {
  return timed(async () => {
    const hash = sha256 ? createHash('sha256') : null;
    const buf = Buffer.allocUnsafe(CHUNK);
    const file = await open(path, 'r');
    try {
      for (let pos = 0; ; ) {
        const { bytesRead } = await file.read(buf, 0, CHUNK, pos);
        if (bytesRead === 0) break;
        hash?.update(buf.subarray(0, bytesRead));
        pos += bytesRead;
      }
      hash?.digest();
    } finally {
      await file.close();
    }
  });
}

/** The plain baseline of one repetition: write+fsync, read, read+SHA-256, and a first touch of fresh memory, all of `bytes`. */
async function plainIo(dir: string, bytes: number, chunk: Buffer): Promise<Pick<Run, 'plainWrite' | 'plainRead' | 'plainHash' | 'freshTouch'>> {
  const path = join(dir, PLAIN_FILE);
  const plainWrite = await writePlain(path, bytes, chunk);
  const plainRead = await readPlain(path, false);
  const plainHash = await readPlain(path, true);
  const freshTouch = await timed(() => new Uint8Array(bytes).fill(1));
  return { plainWrite, plainRead, plainHash, freshTouch };
}

/**
 * One VM of `mib` MiB with `percent` % touched: a warm-up cycle; REPS timed cycles, each followed by the plain
 * baseline; then REPS cycles more whose parts are timed beside the manager (apart, so that the parts' reads of
 * the RAM and the file do not make the timed cycles faster than they are).
 */
async function measure(manager: Manager, dir: string, mib: number, percent: number): Promise<Point> {
  const name = `snap${mib}-${percent}`;
  const file = `${name}.cella`;
  await manager.execute({ type: 'vm.create', name, klass: 'StandaloneVM', label: 'red', properties: { memory: mib, maxmem: mib, vcpus: 1 } });
  await manager.execute({ type: 'vm.start', name });
  const touched = touch(await memoryOf(manager, name), percent);
  const chunk = randomFillSync(Buffer.allocUnsafe(CHUNK));
  let last = await cycle(manager, name, file);
  const runs: Run[] = [];
  for (let i = 0; i < REPS; i++) {
    await settle(manager, dir, last.id);
    last = await cycle(manager, name, file);
    await settle(manager, dir, null);
    runs.push({ suspend: last.suspend, resume: last.resume, ...(await plainIo(dir, last.bytes, chunk)), scan: 0, verify: 0, load: 0 });
  }
  for (const run of runs) {
    await settle(manager, dir, last.id);
    last = await cycle(manager, name, file);
    const memory = await memoryOf(manager, name);
    run.scan = await timed(() => nonZeroFrames(memory));
    Object.assign(run, await resumeParts(join(dir, 'snapshots', file)));
  }
  await settle(manager, dir, last.id);
  await manager.execute({ type: 'vm.kill', name });
  await manager.execute({ type: 'vm.delete', name });
  const med = (key: keyof Run) => median(runs.map((r) => r[key]));
  const spread = (key: 'suspend' | 'resume') => Math.max(...runs.map((r) => r[key])) / Math.min(...runs.map((r) => r[key]));
  return {
    mib, touch: percent, touched, bytes: last.bytes, spread: Math.max(spread('suspend'), spread('resume')),
    suspend: med('suspend'), resume: med('resume'), scan: med('scan'), verify: med('verify'), load: med('load'),
    plainWrite: med('plainWrite'), plainRead: med('plainRead'), plainHash: med('plainHash'), freshTouch: med('freshTouch'),
  };
}

/** Resume after a manager restart of one VM: medians over REPS. */
interface ColdPoint {
  mib: number;
  touch: number;
  bytes: number;
  resume: number;
  spread: number;
}

/**
 * Resume after a manager restart: the VM is suspended, the manager closed and a new one opened on the same
 * data directory, and the new one's `vm.resume` (which builds the domain from the file) is timed; one
 * warm-up cycle, then REPS timed ones.
 */
async function measureCold(dir: string, mib: number, percent: number): Promise<ColdPoint> {
  const name = `cold${mib}-${percent}`;
  const file = `${name}.cella`;
  let manager = await openManager(dir);
  await manager.execute({ type: 'vm.create', name, klass: 'StandaloneVM', label: 'red', properties: { memory: mib, maxmem: mib, vcpus: 1 } });
  await manager.execute({ type: 'vm.start', name });
  touch(await memoryOf(manager, name), percent);
  const times: number[] = [];
  let bytes = 0;
  try {
    for (let i = 0; i <= REPS; i++) {
      const { snapshot } = await manager.execute({ type: 'vm.suspend', name, file });
      bytes = snapshot.bytes;
      await manager.close();
      execFileSync('sync');
      manager = await openManager(dir);
      const t = await timed(() => manager.execute({ type: 'vm.resume', name }));
      if (i > 0) times.push(t);
      await manager.execute({ type: 'snapshot.delete', id: snapshot.id });
    }
    await manager.execute({ type: 'vm.kill', name });
    await manager.execute({ type: 'vm.delete', name });
  } finally {
    await manager.close();
  }
  return { mib, touch: percent, bytes, resume: median(times), spread: Math.max(...times) / Math.min(...times) };
}

const ms = (x: number): string => (x >= 100 ? x.toFixed(0) : x.toFixed(1));
const rate = (x: number): string => x.toFixed(0);

function mainTable(points: readonly Point[]): string {
  const rows = points.map((p) =>
    `| ${p.mib} MiB | ${(p.touched * 100).toFixed(1)} % | ${(p.bytes / MiB).toFixed(1)} | ${ms(p.suspend)} | ${rate(mbps(p.bytes, p.suspend))} | ${ms(p.resume)} | ${rate(mbps(p.bytes, p.resume))} | ${rate(mbps(p.bytes, p.plainWrite))} | ${rate(mbps(p.bytes, p.plainRead))} | ${rate(mbps(p.bytes, p.plainHash))} |`);
  return [
    '| VM RAM | touched | file MiB | suspend ms | suspend MB/s | resume ms | resume MB/s | plain write+fsync MB/s | plain read MB/s | plain read+SHA-256 MB/s |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
}

function partsTable(points: readonly Point[]): string {
  const rows = points.map((p) =>
    `| ${p.mib} MiB, ${p.touch} % | ${ms(p.suspend)} | ${ms(p.scan)} | ${ms(p.plainWrite)} | ${ms(p.resume)} | ${ms(p.verify)} | ${ms(p.load)} | ${ms(p.plainHash)} | ${ms(p.plainRead)} | ${ms(p.freshTouch)} |`);
  return [
    '| VM | suspend | its scan for non-zero frames | plain write+fsync | resume | its verify pass (read, walk, SHA-256) | its load pass (read, copy into fresh RAM) | plain read+SHA-256 | plain read | first touch of fresh memory of the file\'s size |',
    '|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
}

function coldTable(points: readonly Point[], cold: readonly ColdPoint[]): string {
  const rows = cold.map((c) => {
    const warm = at(points, c.mib, c.touch);
    return `| ${c.mib} MiB, ${c.touch} % | ${(c.bytes / MiB).toFixed(1)} | ${warm ? ms(warm.resume) : '-'} | ${ms(c.resume)} | ${rate(mbps(c.bytes, c.resume))} |`;
  });
  return [
    '| VM | file MiB | resume in the manager that suspended it, ms | resume after a manager restart, ms | after a restart, MB/s |',
    '|---|---:|---:|---:|---:|',
    ...rows,
  ].join('\n');
}

function section(points: readonly Point[], cold: readonly ColdPoint[], peakRss: number): string {
  return `## Suspend and resume (\`npm run bench:snapshot\`)

Measured ${today()} on ${machine()}, \`npm run bench:snapshot\` (in process, a real Manager on a SQLite file; snapshot
and plain files in a temp dir on the root ext4 disk). One VM at a time (StandaloneVM, 1 vCPU, the idle \`base\` kernel
blocked waiting for events). Medians of ${REPS} suspend+resume cycles after one warm-up cycle, each cycle followed
by the plain write and reads of a file of the snapshot's size; before each timed write the previous files are
removed and \`sync\` run, so that no write pays for flushing the one before.

${mainTable(points)}

- **touched**: after start, the bench fills randomly chosen all-zero 4 KiB frames of the guest RAM with random bytes
  **from the host side** (through the VM's memory object, not by guest code) until that share of all frames is
  non-zero; the kernel's own frames count and are left alone. Suspend stores only non-zero frames, so the file
  is about the touched memory plus 4 bytes per frame.
- **suspend**: \`vm.suspend\` until it resolves: vCPUs stopped and state captured, the non-zero frames found, the file
  streamed through \`.part\` with SHA-256 as it goes, fsync, rename, directory fsync, the index row and events.
- **resume**: \`vm.resume\` until it resolves: the whole file verified (structure and SHA-256), then read again into
  fresh RAM, the kernel state checked with zod and restored, the VM running.
- **MB/s** is file bytes (10⁶) per second. **plain**: a new file of the snapshot's size written in 1 MiB writes then
  fsync'd, and read back in 1 MiB reads (plainly, and hashing with SHA-256). Reads come from the page cache, for
  resume as for the plain file (both were just written).

Where the time goes (ms; the parts are timed by the bench, beside the manager, on the file and RAM of ${REPS} further cycles):

${partsTable(points)}

Resume after a manager restart (the VM suspended, the manager closed and a new one opened on the same data; the new
one's resume builds the domain from the file: its tables, a new qrexec control vchan, dom0's daemon connected).
Medians of ${REPS} after one warm-up, slowest/fastest up to ${Math.max(1, ...cold.map((c) => c.spread)).toFixed(1)}×:

${coldTable(points, cold)}

${comparison(points)}

Peak RSS of the bench process: ${(peakRss / MiB).toFixed(0)} MiB.`;
}

const FIRECRACKER = `Firecracker's figures, for comparison (reference/vmm-api-snapshot.md §1.4 and §1.9):

- **Snapshot create** (full: all guest memory is written): CI targets of **180 ms at 2 vCPU / 256 MiB** and
  **280 ms at 2 vCPU / 512 MiB** on x86_64 (160 / 300 ms on aarch64; diff snapshots 70 / 75 ms), from
  \`test_snapshot_perf.py\` around 2021; a full capture of a 2 vCPU / 4 GiB VM on NVMe took **7.9–8.6 s**
  (Firecracker 1.16.1), a dirty-tracked sparse one 157–172 ms (exoharness/exo PR #274); a full snapshot on a
  developer box took ~1.17 s, of which \`prepare_save\` ~17 ms and the memory write most of the rest (PR #2792).
- **Snapshot load**: target **9 ms** on x86_64 and 3 ms on aarch64 (same test); below 8 ms, 5 ms p90, for
  2 vCPU / 512 MB with a block and a net device on m5d.metal (docs until Nov 2022); 2023 CI baselines
  **~29–33 ms for 1 vCPU with 128 MiB to 1 GiB** (m5d/m6i.metal, host 5.10, guest 4.14); 13–33 ms on an
  i7-8700 for 2 vCPU / 512 MiB, 7–10 ms again with the files in the page cache (#2027). Load does not grow
  with RAM: the memory file is mapped MAP_PRIVATE and paged in on demand after the call returns, and only the
  state file is checked (CRC64), never the memory file. Restores that copy RAM eagerly are O(RAM): Cloud
  Hypervisor took 160 ms+ for 512 MB (#5390) and 55.6 s for 8 GiB from disk (kernel/hypeman PR #400).`;

/** Cloud Hypervisor's eager restore of 512 MB in 160 ms (reference §2), in MB/s. */
const EAGER_MBPS = 512 / 0.16;

function at(points: readonly Point[], mib: number, touch: number): Point | undefined {
  return points.find((p) => p.mib === mib && p.touch === touch);
}

/** Our figures against Firecracker's, and where our time goes, from this run's points. */
function comparison(points: readonly Point[]): string {
  const full256 = at(points, 256, 100);
  const largest = points.reduce((a, b) => (b.bytes > a.bytes ? b : a));
  const sparsest = points.reduce((a, b) => (b.scan > a.scan ? b : a));
  const sparse = points.reduce((a, b) => (b.mib > a.mib || (b.mib === a.mib && b.touch < a.touch) ? b : a));
  const spread = Math.max(...points.map((p) => p.spread));
  const sum = suspendSum(full256 ?? largest);
  const slowWrite = points.find((p) => p.plainWrite > p.suspend);
  const ours = [
    full256 ? `A full 256 MiB suspend here took **${ms(full256.suspend)} ms** (${rate(mbps(full256.bytes, full256.suspend))} MB/s) against Firecracker's 180 ms target for a full 256 MiB snapshot (ours also hashes every byte with SHA-256).` : '',
    `Suspend stores only non-zero frames, so a sparsely touched VM writes a small file (${sparse.mib} MiB with ${sparse.touch} % touched: ${(sparse.bytes / MiB).toFixed(0)} MiB); Firecracker's full snapshot always writes all of RAM and needs dirty tracking for less.`,
    `Resume is where we differ most: it is eager and verifies everything before it touches the VM, so it grows with the file, from ${ms(points[0].resume)} ms (${points[0].mib} MiB, ${points[0].touch} %) to **${ms(largest.resume)} ms** (${largest.mib} MiB, ${largest.touch} %, ${rate(mbps(largest.bytes, largest.resume))} MB/s), where Firecracker's lazy load stays at 4–33 ms whatever the RAM; against an eager copy such as Cloud Hypervisor's (160 ms+ for 512 MB, at most ${rate(EAGER_MBPS)} MB/s) ours is about ${(EAGER_MBPS / mbps(largest.bytes, largest.resume)).toFixed(0)}× slower per byte.`,
  ];
  const where = [
    `**Suspend**: the plan scans all of RAM for non-zero frames; a never-touched page costs a page fault when it is first read (to map the zero page), so the scan costs more on sparse RAM than on full RAM: ${ms(sparsest.scan)} of the ${ms(sparsest.suspend)} ms at ${sparsest.mib} MiB / ${sparsest.touch} % (a record of touched frames would make it unnecessary). The file is hashed (SHA-256) on the event loop while the previous chunk is being written, then fsync'd with its directory: at ${sum.p.mib} MiB / ${sum.p.touch} %, plain write+fsync (${ms(sum.p.plainWrite)} ms) plus hashing the same bytes (read+SHA-256 less read: ${ms(sum.hash)} ms) plus the scan (${ms(sum.p.scan)} ms) come to ${ms(sum.total)} ms ${sum.total <= sum.p.suspend ? `of the ${ms(sum.p.suspend)} ms; the rest is the capture, copying frames into the write buffers, the SQLite transactions (power state, index row, events) and garbage collection` : `against the suspend's ${ms(sum.p.suspend)} ms: more than the suspend itself, because the plain write and the hashing were measured apart while the suspend overlaps them (it hashes one chunk while the previous one is written)`}. Each cycle also allocates two RAM-sized ArrayBuffers (the sparse backing a suspended domain keeps, the fresh RAM of resume), which V8 counts as external memory and answers with full garbage collections.`,
    `**Resume** reads the file twice: a verify pass (walk plus SHA-256 of every byte, about as fast as the plain read+SHA-256: ${ms(largest.verify)} against ${ms(largest.plainHash)} ms at ${largest.mib} MiB / ${largest.touch} %) and a load pass that reads it again and copies each frame into a new, never-touched RAM buffer (${ms(largest.load)} ms, ${(largest.load / largest.plainRead).toFixed(1)}× the plain read of ${ms(largest.plainRead)} ms). On this machine a first touch of fresh memory is dear (see Noise): filling a new buffer of the file's size took ${ms(largest.freshTouch)} ms in the same run. Verifying while copying, in one pass, would save the second read; an eager resume cannot avoid touching the RAM it fills.`,
    `**Noise**: the slowest repetition of a point was up to ${spread.toFixed(1)}× its fastest.${slowWrite ? ` At ${slowWrite.mib} MiB / ${slowWrite.touch} % the plain write+fsync (${ms(slowWrite.plainWrite)} ms) was even slower than the suspend that writes the same bytes and more (${ms(slowWrite.suspend)} ms).` : ''}${pageReporting() ? ' This machine is a KVM guest whose kernel reports free pages back to the host (page_reporting on its command line): memory it frees and allocates again is faulted in by the host anew, which makes the first touch of fresh memory, and so new page-cache pages (the plain write) and resume\'s fresh RAM, cost from a fraction of a second to several seconds per GiB between runs.' : ''}`,
  ];
  return `${FIRECRACKER}\n\n${ours.filter(Boolean).join(' ')}\n\nWhere our time goes:\n\n${where.map((w) => `- ${w}`).join('\n')}`;
}

/** What suspend costs at least, from the plain baseline: writing and hashing the file's bytes, and the scan. */
function suspendSum(p: Point): { p: Point; hash: number; total: number } {
  const hash = Math.max(0, p.plainHash - p.plainRead);
  return { p, hash, total: p.plainWrite + hash + p.scan };
}

/** True when the kernel command line turns on free page reporting to the host (this machine's memory is refaulted after a free). */
function pageReporting(): boolean {
  try {
    return readFileSync('/proc/cmdline', 'utf8').includes('page_reporting');
  } catch {
    return false;
  }
}

const dir = mkdtempSync(join(tmpdir(), 'cella-bench-snapshot-'));
try {
  const manager = await openManager(dir);
  const points: Point[] = [];
  for (const mib of SIZES) {
    for (const percent of TOUCH) {
      const p = await measure(manager, dir, mib, percent);
      points.push(p);
      console.error(`${mib} MiB ${percent} %: ${(p.bytes / MiB).toFixed(1)} MiB file, suspend ${ms(p.suspend)} ms, resume ${ms(p.resume)} ms, slowest/fastest ${p.spread.toFixed(2)}`);
    }
  }
  await manager.close();
  const cold: ColdPoint[] = [];
  for (const mib of SIZES) {
    for (const percent of COLD_TOUCH) {
      const c = await measureCold(dir, mib, percent);
      cold.push(c);
      console.error(`${mib} MiB ${percent} % after a restart: resume ${ms(c.resume)} ms`);
    }
  }
  const markdown = section(points, cold, process.resourceUsage().maxRSS * 1024);
  console.log(markdown);
  writeSection('snapshot', markdown);
} finally {
  rmSync(dir, { recursive: true, force: true });
}
