/** exit, exit_group and sched_yield. */
import type { SyscallContext } from '../syscall-context.js';
import { returns, type SyscallOutcome } from '../syscall-outcome.js';

/** exit and exit_group (a process has one thread): the low 8 bits are the status. */
export function sysExit(_ctx: SyscallContext, [status]: readonly number[]): SyscallOutcome {
  return { kind: 'exit', status: status & 0xff };
}

export function sysSchedYield(): SyscallOutcome {
  return returns(0);
}
