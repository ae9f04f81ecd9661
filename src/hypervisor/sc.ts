/** A scheduling context (NOVA SC): priority and a quantum in instructions, bound to one EC. */
import type { KernelObject } from './capability.js';
import type { Ec } from './ec.js';

/** NOVA has 128 priority levels; 0 is not a valid priority. */
export const MAX_PRIORITY = 127;
/** Default quantum: one million instructions, about a millisecond at the vCPU's speed. */
export const DEFAULT_QUANTUM = 1_000_000;
export const DEFAULT_PRIORITY = 64;

export class Sc implements KernelObject {
  readonly type = 'sc' as const;
  alive = true;
  /** Instructions left of the current quantum. */
  left: number;
  /** Instructions executed on this SC in all (sc_ctrl's consumed time, in instructions). */
  consumed = 0;
  /** Ready-queue links (intrusive, per priority). */
  prev: Sc | null = null;
  next: Sc | null = null;
  queued = false;
  /** Its vCPU is on a CPU worker now (off the ready lists until it comes back). */
  onCpu = false;
  /**
   * Instructions it runs between exits the kernel serves (a moving average, quantum ends counted as
   * long runs): how chatty its vCPU is. With CPU workers, a chatty vCPU runs between the main
   * thread's other work instead, since a worker round trip per exit would cost more than its run.
   */
  runLength = 0;

  constructor(
    readonly id: number,
    readonly ec: Ec,
    readonly priority: number,
    readonly quantum: number,
  ) {
    this.left = quantum;
  }
}
