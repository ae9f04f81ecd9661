/**
 * The host CPUs the hypervisor runs vCPUs on: one worker thread each (cpu-worker.ts). The main
 * thread's scheduler sends a CPU one vCPU at a time with its budget and gets its exit back; the
 * vCPU's exits are served on the main thread, the instructions between them run on the CPU. A
 * worker that dies is replaced by a new one and the scheduler is told which vCPU it was running.
 */
import { Worker } from 'node:worker_threads';
import type { VcpuExit } from '../vcpu/vcpu-exit.js';
import type { GuestMemory } from '../vcpu/guest-memory.js';
import type { Ec } from './ec.js';
import type { FromCpu, MemoryRef, ToCpu, WindowRef } from './cpu-protocol.js';
import { ForeignFrameWindow } from '../vcpu/foreign-frame-window.js';
import { cpuWorkerBoot } from './cpu-worker-source.js';


/** What the pool tells its scheduler. */
export interface CpuEvents {
  exited(cpu: number, ec: Ec, exit: VcpuExit, ms: number): void;
  /** The CPU's worker died (running `ec`, or idle): its replacement is starting. */
  lost(cpu: number, ec: Ec | null, reason: string): void;
}

class Cpu {
  worker: Worker | null = null;
  /** The EC on this CPU now, or null when idle. */
  running: Ec | null = null;
  /** Memory id → the backing this worker holds. */
  readonly memories = new Map<number, number>();
  readonly spaces = new Set<number>();
  /** Memory id → the window generation this worker holds. */
  readonly windows = new Map<number, number>();
  /** Host milliseconds its vCPUs ran, and since when it counts (for the load figure). */
  busyMs = 0;
  /** Instructions its vCPUs ran on the worker, and on the main thread between their exits. */
  workerInstructions = 0;
  inlineInstructions = 0;
  readonly since = performance.now();
  constructor(readonly index: number) {}
}

export class CpuPool {
  private readonly cpus: Cpu[];
  private closed = false;
  /** Memories by id, for drops a worker reports about peers it wrote through a grant mapping. */
  private readonly memoryById = new Map<number, WeakRef<GuestMemory>>();

  constructor(count: number, private readonly events: CpuEvents) {
    this.cpus = Array.from({ length: count }, (_, i) => new Cpu(i));
  }

  get count(): number {
    return this.cpus.length;
  }

  busy(cpu: number): boolean {
    return this.cpus[cpu].running !== null;
  }

  /** The EC on `cpu` now, if any. */
  runningOn(cpu: number): Ec | null {
    return this.cpus[cpu].running;
  }

  /** Share of host time `cpu`'s worker ran guest code since it started (0..1). */
  load(cpu: number): number {
    const c = this.cpus[cpu];
    const span = performance.now() - c.since;
    return span > 0 ? Math.min(1, c.busyMs / span) : 0;
  }

  /** `cpu`'s vCPU ran `n` instructions in `ms` on the main thread (a chatty one, between its exits). */
  ranInline(cpu: number, ms: number, n: number): void {
    const c = this.cpus[cpu];
    c.busyMs += ms;
    c.inlineInstructions += n;
  }

  /** Instructions of `cpu`'s vCPUs that ran on the main thread, and on the worker. */
  instructions(cpu: number): { main: number; worker: number } {
    const c = this.cpus[cpu];
    return { main: c.inlineInstructions, worker: c.workerInstructions };
  }

  /** Starts `cpu`'s worker now, so that its start-up is not paid by the first vCPU sent to it. */
  warm(cpu: number): void {
    if (!this.closed) this.workerOf(this.cpus[cpu]);
  }

  /** Runs `ec`'s vCPU on `cpu` for at most `budget` instructions; its exit comes through `events.exited`. */
  dispatch(cpu: number, ec: Ec, budget: number): void {
    const c = this.cpus[cpu];
    if (c.running) throw new Error(`CPU ${cpu} is already running EC ${c.running.id}`);
    const vcpu = ec.vcpu!;
    const space = vcpu.space;
    const memory = vcpu.memory;
    const msg: ToCpu = {
      t: 'run',
      ec: ec.id,
      hart: vcpu.csr.mhartid,
      memory: this.memoryRef(c, memory),
      space: { id: space.id, generation: space.generation, shared: c.spaces.has(space.id) ? undefined : space.sharedTables() },
      window: this.windowRef(c, memory),
      drops: memory.code.takeDrops(),
      state: vcpu.save(),
      budget,
    };
    c.spaces.add(space.id);
    c.running = ec;
    const w = this.workerOf(c);
    // a vCPU on a CPU keeps the process alive, as it would on the main thread
    w.ref();
    w.postMessage(msg);
  }

  /** The CPUs drop their replicas of these (the domain or process is gone). */
  forget(ecs: readonly number[], spaces: readonly number[], memories: readonly number[]): void {
    for (const c of this.cpus) {
      if (!c.worker) continue;
      const s = spaces.filter((id) => c.spaces.delete(id));
      const m = memories.filter((id) => c.memories.delete(id));
      for (const id of memories) c.windows.delete(id);
      c.worker.postMessage({ t: 'forget', ecs, spaces: s, memories: m } satisfies ToCpu);
    }
    for (const id of memories) this.memoryById.delete(id);
  }

  /** Test hook: `cpu`'s worker dies as a bug in it would kill it. */
  kill(cpu: number, reason = 'killed by a test hook'): void {
    this.cpus[cpu].worker?.postMessage({ t: 'die', reason } satisfies ToCpu);
  }

  async close(): Promise<void> {
    this.closed = true;
    await Promise.all(this.cpus.map((c) => c.worker?.terminate()));
  }

  private memoryRef(c: Cpu, memory: GuestMemory): MemoryRef {
    this.memoryById.set(memory.id, new WeakRef(memory));
    memory.code.shared = true;
    const known = c.memories.get(memory.id);
    c.memories.set(memory.id, memory.backing);
    if (known === memory.backing) return { id: memory.id, size: memory.size, backing: memory.backing };
    return { id: memory.id, size: memory.size, backing: memory.backing, buffer: memory.buffer, marks: memory.code.marks };
  }

  private windowRef(c: Cpu, memory: GuestMemory): WindowRef | undefined {
    const w = memory.outside;
    if (!(w instanceof ForeignFrameWindow) || c.windows.get(memory.id) === w.generation) return undefined;
    c.windows.set(memory.id, w.generation);
    return { generation: w.generation, maps: w.mappings().map((m) => ({ addr: m.addr, peer: this.memoryRef(c, m.peer), peerAddr: m.peerAddr, writable: m.writable })) };
  }

  private workerOf(c: Cpu): Worker {
    if (c.worker) return c.worker;
    const w = new Worker(cpuWorkerBoot(), { eval: true, name: `cella-cpu-${c.index}` });
    w.unref();
    w.on('message', (msg: FromCpu) => this.onMessage(c, msg));
    const lost = (reason: string) => {
      if (c.worker !== w) return;
      c.worker = null;
      c.memories.clear();
      c.spaces.clear();
      c.windows.clear();
      const ec = c.running;
      c.running = null;
      if (!this.closed) this.events.lost(c.index, ec, reason);
    };
    w.on('error', (err) => lost(err instanceof Error ? err.message : String(err)));
    w.on('exit', (code) => lost(`the CPU worker exited with code ${code}`));
    c.worker = w;
    return w;
  }

  private onMessage(c: Cpu, msg: FromCpu): void {
    const ec = c.running;
    if (!ec || ec.id !== msg.ec) return;
    c.running = null;
    c.worker?.unref();
    c.busyMs += msg.ms;
    c.workerInstructions += msg.exit.retired;
    if (msg.drops) {
      const own = ec.vcpu?.memory;
      for (const [id, frames] of msg.drops) {
        const m = this.memoryById.get(id)?.deref();
        if (!m) continue;
        // the main thread's own code of those frames (inline runs) goes, and a peer's other CPU is told
        for (const f of frames) m.code.dropFrame(f);
        if (m !== own) m.code.addDrops(frames);
      }
    }
    if (ec.alive && ec.vcpu) ec.vcpu.restore(msg.state);
    this.events.exited(c.index, ec, msg.exit, msg.ms);
  }
}
