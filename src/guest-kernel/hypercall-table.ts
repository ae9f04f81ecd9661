/** The dispatch table of Cella hypercalls; later components register their handlers here. */
import { Hypercall, HYPERCALL_ABI_VERSION } from './hypercall-numbers.js';
import type { SyscallHandler } from './syscall-context.js';
import { returns } from './syscall-outcome.js';

export class HypercallTable {
  private readonly handlers = new Map<number, SyscallHandler>();

  constructor() {
    this.register(Hypercall.version, () => returns(HYPERCALL_ABI_VERSION));
    this.register(Hypercall.sched_yield, () => returns(0));
  }

  /** Installs the handler of hypercall `nr` (replacing any earlier one). */
  register(nr: number, handler: SyscallHandler): void {
    this.handlers.set(nr >>> 0, handler);
  }

  /** The handler of hypercall `nr`, if one is registered. */
  lookup(nr: number): SyscallHandler | undefined {
    return this.handlers.get(nr >>> 0);
  }
}
