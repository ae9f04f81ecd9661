/** What a syscall or hypercall handler may use: the caller's memory, vCPU, fds and process state. */
import type { GuestMemory } from '../../vcpu/guest-memory.js';
import type { Vcpu } from '../../vcpu/vcpu.js';
import type { FdTable } from './fd-endpoint.js';
import type { SeededRandom } from './seeded-random.js';
import type { SyscallOutcome } from './syscall-outcome.js';

/** The program break of a process. */
export interface ProgramBreak { start: number; current: number; limit: number }

export interface SyscallContext {
  readonly memory: GuestMemory;
  readonly vcpu: Vcpu;
  readonly fds: FdTable;
  readonly random: SeededRandom;
  readonly brk: ProgramBreak;
  /** REALTIME clock offset from virtual time, in nanoseconds. */
  readonly epochNs: number;
}

/** A syscall or hypercall handler; `args` are a0..a5. */
export type SyscallHandler = (ctx: SyscallContext, args: readonly number[]) => SyscallOutcome;
