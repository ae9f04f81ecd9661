/** A semaphore (NOVA SM): a counter and the ECs blocked on it. */
import type { KernelObject } from './capability.js';
import type { Ec } from './ec.js';

export class Sm implements KernelObject {
  readonly type = 'sm' as const;
  alive = true;
  readonly waiters: Ec[] = [];

  constructor(
    readonly id: number,
    public counter: number,
  ) {}

  /** Releases one waiter, or counts up when none waits; returns the EC released. */
  up(): Ec | undefined {
    const ec = this.waiters.shift();
    if (!ec) this.counter++;
    return ec;
  }

  /** Takes one (or all, with `zero`) when the counter is positive; else `ec` waits. Returns whether it got through. */
  down(ec: Ec, zero: boolean): boolean {
    if (this.counter > 0) {
      this.counter = zero ? 0 : this.counter - 1;
      return true;
    }
    this.waiters.push(ec);
    return false;
  }
}
