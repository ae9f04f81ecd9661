/**
 * The scheduler: NOVA's 128 priority levels with round robin inside a level, quanta counted in
 * instructions, running in slices on the event loop so that the API stays responsive. An SC
 * preempted with quantum left goes back to the head of its level, one whose quantum ran out to the
 * tail with a fresh quantum. Blocked vCPUs are off the ready lists and cost nothing.
 */
import type { VcpuExit } from '../vcpu/vcpu-exit.js';
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

/** Delivers a vCPU's exit to its portal and says what became of the vCPU. */
export type ExitDelivery = (ec: Ec, exit: VcpuExit) => 'resume' | 'block' | 'stop';

export class Scheduler {
  private readonly heads: (Sc | null)[] = new Array(MAX_PRIORITY + 1).fill(null);
  private readonly tails: (Sc | null)[] = new Array(MAX_PRIORITY + 1).fill(null);
  private readyCount = 0;
  private armed = false;
  private stopped = false;
  /** Instructions executed by all vCPUs: the hypervisor's virtual time base. */
  executed = 0;

  constructor(private readonly deliver: ExitDelivery) {}

  get ready(): number {
    return this.readyCount;
  }

  /** Puts a runnable SC on its level (head or tail) and makes sure a turn is coming. */
  enqueue(sc: Sc, front = false): void {
    if (sc.queued) return;
    const p = sc.priority;
    sc.queued = true;
    this.readyCount++;
    if (front) {
      sc.next = this.heads[p];
      sc.prev = null;
      if (this.heads[p]) this.heads[p]!.prev = sc;
      else this.tails[p] = sc;
      this.heads[p] = sc;
    } else {
      sc.prev = this.tails[p];
      sc.next = null;
      if (this.tails[p]) this.tails[p]!.next = sc;
      else this.heads[p] = sc;
      this.tails[p] = sc;
    }
    this.arm();
  }

  dequeue(sc: Sc): void {
    if (!sc.queued) return;
    const p = sc.priority;
    if (sc.prev) sc.prev.next = sc.next;
    else this.heads[p] = sc.next;
    if (sc.next) sc.next.prev = sc.prev;
    else this.tails[p] = sc.prev;
    sc.prev = sc.next = null;
    sc.queued = false;
    this.readyCount--;
  }

  /** Stops scheduling turns (the manager is closing). */
  stop(): void {
    this.stopped = true;
  }

  private arm(): void {
    if (this.armed || this.stopped) return;
    this.armed = true;
    setImmediate(() => this.turn());
  }

  private highest(): Sc | null {
    for (let p = MAX_PRIORITY; p > 0; p--) if (this.heads[p]) return this.heads[p];
    return null;
  }

  /** One event-loop turn: run ready SCs until the turn's budget is spent or none is ready. */
  turn(): void {
    this.armed = false;
    let left = TICK_INSTRUCTIONS;
    const deadline = performance.now() + TICK_MS;
    while (left > 0 && this.readyCount > 0 && !this.stopped) {
      const sc = this.highest()!;
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
    const n = exit.retired;
    sc.left -= n;
    sc.consumed += n;
    this.executed += n;
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

  private requeue(sc: Sc): void {
    if (sc.left > 0) {
      if (this.heads[sc.priority] !== sc) {
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
