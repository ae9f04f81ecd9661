/**
 * The scheduler: NOVA's 128 priority levels with round robin inside a level, quanta counted in
 * instructions, one ready list per host CPU. An SC preempted with quantum left goes back to the
 * head of its level, one whose quantum ran out to the tail with a fresh quantum. Blocked vCPUs are
 * off the ready lists and cost nothing.
 *
 * Without CPU workers (a `Scheduler` with no pool) there is one CPU, the event loop: vCPUs run in
 * turns of a few milliseconds between the API's work. With a pool (cpu-pool.ts), each CPU worker
 * runs one SC at a time, until its next exit or the end of a chunk, while the main thread serves
 * the exits of the others and the API; the exit is handled here as it would be inline.
 */
import type { VcpuExit } from '../vcpu/vcpu-exit.js';
import type { CpuPool } from './cpu-pool.js';
import type { Ec } from './ec.js';
import { MAX_PRIORITY, type Sc } from './sc.js';

/** Instructions run per event-loop turn (about 4 ms at the vCPU's speed). */
export const TICK_INSTRUCTIONS = 4_000_000;
/** A turn also ends after this much host time, for guests that exit often (syscall-heavy) or run slow code. */
export const TICK_MS = 8;
/**
 * A vCPU runs at most this many instructions before the turn looks at the clock again: the instruction
 * budget alone would make a turn last 30 ms and more on a slow host or with slow guest code, and the
 * API waits for the turn to end.
 */
export const CHUNK_INSTRUCTIONS = 250_000;
/**
 * On a CPU worker a vCPU runs at most this many instructions before it comes back (a recall, a pause
 * or a suspend waits at most this long; each return costs a message round trip, ~50 µs).
 */
export const CPU_CHUNK_INSTRUCTIONS = 1_000_000;
/**
 * A vCPU that runs fewer instructions than this between exits (on average) runs on the main thread
 * between its exits: a worker round trip (~50 µs, ~5,000 instructions' worth) would be a tenth of its
 * run or more. Anything longer, CPU-bound code above all, runs on its CPU's worker.
 */
export const INLINE_RUN_LENGTH = 50_000;

/** Delivers a vCPU's exit to its portal and says what became of the vCPU. */
export type ExitDelivery = (ec: Ec, exit: VcpuExit) => 'resume' | 'block' | 'stop';

/** One CPU's ready SCs: a list per priority. */
class ReadyList {
  readonly heads: (Sc | null)[] = new Array(MAX_PRIORITY + 1).fill(null);
  readonly tails: (Sc | null)[] = new Array(MAX_PRIORITY + 1).fill(null);
  count = 0;

  highest(): Sc | null {
    for (let p = MAX_PRIORITY; p > 0; p--) if (this.heads[p]) return this.heads[p];
    return null;
  }
}

export class Scheduler {
  private readonly lists: ReadyList[];
  private readyCount = 0;
  private armed = false;
  private stopped = false;
  /** Called when no SC of the given ECs is on a CPU any more (`settled`). */
  private settleWaiters: { ecs: readonly Ec[]; resolve: () => void }[] = [];
  /** Instructions executed by all vCPUs: the hypervisor's virtual time base. */
  executed = 0;

  constructor(
    private readonly deliver: ExitDelivery,
    /** The CPU workers; null runs every vCPU on the event loop. */
    readonly pool: CpuPool | null = null,
  ) {
    this.lists = Array.from({ length: pool?.count ?? 1 }, () => new ReadyList());
  }

  get ready(): number {
    return this.readyCount;
  }

  /** Host CPUs vCPUs run on (1 without workers: the event loop). */
  get cpus(): number {
    return this.lists.length;
  }

  private listOf(sc: Sc): ReadyList {
    return this.lists[this.pool ? sc.ec.pd.cpu : 0];
  }

  /** Puts a runnable SC on its level (head or tail) and makes sure a turn is coming. */
  enqueue(sc: Sc, front = false): void {
    if (sc.queued || sc.onCpu) return;
    const list = this.listOf(sc);
    const p = sc.priority;
    sc.queued = true;
    this.readyCount++;
    list.count++;
    if (front) {
      sc.next = list.heads[p];
      sc.prev = null;
      if (list.heads[p]) list.heads[p]!.prev = sc;
      else list.tails[p] = sc;
      list.heads[p] = sc;
    } else {
      sc.prev = list.tails[p];
      sc.next = null;
      if (list.tails[p]) list.tails[p]!.next = sc;
      else list.heads[p] = sc;
      list.tails[p] = sc;
    }
    this.arm();
  }

  dequeue(sc: Sc): void {
    if (!sc.queued) return;
    const list = this.listOf(sc);
    const p = sc.priority;
    if (sc.prev) sc.prev.next = sc.next;
    else list.heads[p] = sc.next;
    if (sc.next) sc.next.prev = sc.prev;
    else list.tails[p] = sc.prev;
    sc.prev = sc.next = null;
    sc.queued = false;
    this.readyCount--;
    list.count--;
  }

  /** Stops scheduling turns (the manager is closing). */
  stop(): void {
    this.stopped = true;
  }

  /** Resolves once none of `ecs` is on a CPU (each is stopped at an instruction boundary, its state back here). */
  settled(ecs: readonly Ec[]): Promise<void> {
    if (!ecs.some((ec) => ec.sc?.onCpu)) return Promise.resolve();
    return new Promise((resolve) => this.settleWaiters.push({ ecs, resolve }));
  }

  private arm(): void {
    if (this.armed || this.stopped) return;
    this.armed = true;
    setImmediate(() => this.turn());
  }

  /** One event-loop turn: run ready SCs until the turn's budget is spent or none is ready (with workers: give each idle CPU its next SC). */
  turn(): void {
    this.armed = false;
    if (this.pool) {
      this.poolTurn();
      return;
    }
    const list = this.lists[0];
    let left = TICK_INSTRUCTIONS;
    const deadline = performance.now() + TICK_MS;
    while (left > 0 && list.count > 0 && !this.stopped) {
      const sc = list.highest()!;
      left -= this.runOnce(sc, Math.min(left, CHUNK_INSTRUCTIONS));
      if (performance.now() > deadline) break;
    }
    if (this.readyCount > 0) this.arm();
  }

  /** Runs `sc` for at most `limit` instructions and files it by what happened; returns instructions run. */
  private runOnce(sc: Sc, limit: number): number {
    const ec = sc.ec;
    const vcpu = ec.vcpu!;
    ec.send({ type: 'schedule' });
    const t0 = performance.now();
    const exit = vcpu.run(Math.min(sc.left, limit));
    ec.hostMs += performance.now() - t0;
    return this.file(sc, exit);
  }

  /** Files `sc` by its vCPU's exit (which ran `exit.retired` instructions); returns that count. */
  private file(sc: Sc, exit: VcpuExit): number {
    const ec = sc.ec;
    const n = exit.retired;
    sc.left -= n;
    sc.consumed += n;
    this.executed += n;
    sc.runLength += ((exit.reason === 'budget' ? CPU_CHUNK_INSTRUCTIONS : n) - sc.runLength) / 4;
    if (exit.reason === 'budget' && !ec.recall) {
      ec.send({ type: 'preempt' });
      this.requeue(sc);
      return n;
    }
    const action = this.deliver(ec, exit);
    if (action === 'resume' && ec.state === 'running') {
      ec.send({ type: 'preempt' });
      this.requeue(sc);
    } else {
      this.dequeue(sc);
      if (action === 'block' && ec.state === 'running') ec.send({ type: 'block' });
      if (action === 'stop') ec.send({ type: 'stop' });
    }
    return n;
  }

  // ---- with CPU workers ----

  /**
   * A turn with workers: each idle CPU gets its highest ready SC; a chatty one (`INLINE_RUN_LENGTH`)
   * runs here, within the turn's budget, the CPU counted busy meanwhile (one SC per CPU at a time).
   */
  private poolTurn(): void {
    const pool = this.pool!;
    let left = TICK_INSTRUCTIONS;
    const deadline = performance.now() + TICK_MS;
    let pending = false;
    while (!this.stopped) {
      let ran = false;
      pending = false;
      for (let cpu = 0; cpu < this.lists.length; cpu++) {
        if (pool.busy(cpu)) continue;
        const sc = this.lists[cpu].highest();
        if (!sc) continue;
        if (sc.runLength >= INLINE_RUN_LENGTH) {
          this.next(cpu);
          continue;
        }
        if (left <= 0) {
          pending = true;
          continue;
        }
        const t0 = performance.now();
        const n = this.runOnce(sc, Math.min(left, CHUNK_INSTRUCTIONS));
        left -= n;
        pool.ranInline(cpu, performance.now() - t0, n);
        ran = true;
        pending = true;
      }
      if (!ran || performance.now() > deadline) break;
    }
    if (pending) this.arm();
  }

  /** Gives `cpu`, when idle, its highest ready SC if that one runs on the worker (a chatty one waits for a turn). */
  private next(cpu: number): void {
    const pool = this.pool!;
    if (this.stopped || pool.busy(cpu)) return;
    const sc = this.lists[cpu].highest();
    if (!sc) return;
    if (sc.runLength < INLINE_RUN_LENGTH) {
      this.arm();
      return;
    }
    this.dequeue(sc);
    sc.onCpu = true;
    sc.ec.send({ type: 'schedule' });
    pool.dispatch(cpu, sc.ec, Math.min(sc.left, CPU_CHUNK_INSTRUCTIONS));
  }

  /**
   * A CPU's vCPU came back with `exit` (its state is back in the EC's vCPU). One that was paused or
   * ended meanwhile is not filed: it stopped at an instruction boundary, and an exit it did not get
   * served (an ecall, a fault) comes again when it runs on, at the same instruction.
   */
  exited(cpu: number, ec: Ec, exit: VcpuExit, ms: number): void {
    const sc = ec.sc!;
    sc.onCpu = false;
    ec.hostMs += ms;
    if (ec.alive && sc.alive && ec.state === 'running') {
      // the SC is off the lists while on the CPU: requeue it at the head of its level as inline
      this.file(sc, exit);
    } else {
      sc.left -= exit.retired;
      sc.consumed += exit.retired;
      this.executed += exit.retired;
      // paused and unpaused again while it was on the CPU: it is runnable, back on its list
      if (ec.alive && sc.alive && ec.state === 'runnable') this.enqueue(sc, true);
    }
    this.wakeSettled();
    this.next(cpu);
  }

  /** A CPU's worker died: the vCPU on it (if any) is off the CPU, its state as it was sent. */
  lost(ec: Ec | null): void {
    if (ec?.sc) ec.sc.onCpu = false;
    this.wakeSettled();
  }

  /** SCs ready on `cpu` (for the host view and the ends of a lost CPU). */
  readyOn(cpu: number): Sc[] {
    const out: Sc[] = [];
    const list = this.lists[cpu];
    for (let p = MAX_PRIORITY; p > 0; p--) for (let sc = list.heads[p]; sc; sc = sc.next) out.push(sc);
    return out;
  }

  private wakeSettled(): void {
    if (this.settleWaiters.length === 0) return;
    const waiting = this.settleWaiters;
    this.settleWaiters = [];
    for (const w of waiting) {
      if (w.ecs.some((ec) => ec.sc?.onCpu)) this.settleWaiters.push(w);
      else w.resolve();
    }
  }

  private requeue(sc: Sc): void {
    const list = this.listOf(sc);
    if (sc.left > 0) {
      if (list.heads[sc.priority] !== sc) {
        this.dequeue(sc);
        this.enqueue(sc, true);
      }
      return;
    }
    sc.left = sc.quantum;
    this.dequeue(sc);
    this.enqueue(sc, false);
  }
}
