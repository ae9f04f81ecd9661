/** What a syscall or hypercall handler may use: the caller's memory, vCPU, fds and process state. */
import type { AddressSpace } from '../vcpu/address-space.js';
import type { Vcpu } from '../vcpu/vcpu.js';
import type { FdTable } from './fd-endpoint.js';
import type { SeededRandom } from './seeded-random.js';
import type { SyscallOutcome } from './syscall-outcome.js';

/** The program break of a process. */
export interface ProgramBreak { start: number; current: number; limit: number }

export interface SyscallContext {
  /** The caller's memory, by virtual address (its address space). */
  readonly memory: AddressSpace;
  readonly vcpu: Vcpu;
  readonly fds: FdTable;
  readonly random: SeededRandom;
  readonly brk: ProgramBreak;
  /** REALTIME clock offset from virtual time, in nanoseconds. */
  readonly epochNs: number;
}

/** A syscall or hypercall handler; `args` are a0..a5. */
export type SyscallHandler = (ctx: SyscallContext, args: readonly number[]) => SyscallOutcome;
