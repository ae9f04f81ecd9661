/** The Linux syscalls the PV kernel serves, by number; everything else is -ENOSYS. */
import { LinuxSyscall } from './linux-syscalls.js';
import type { SyscallHandler } from './syscall-context.js';
import { sysBrk } from './syscalls/brk.js';
import { sysClockGettime64 } from './syscalls/clock-gettime.js';
import { sysGetrandom } from './syscalls/getrandom.js';
import { sysRead, sysWrite } from './syscalls/io.js';
import { sysExit, sysSchedYield } from './syscalls/process.js';

export const LINUX_SYSCALLS: ReadonlyMap<number, SyscallHandler> = new Map<number, SyscallHandler>([
  [LinuxSyscall.read, sysRead],
  [LinuxSyscall.write, sysWrite],
  [LinuxSyscall.exit, sysExit],
  [LinuxSyscall.exit_group, sysExit],
  [LinuxSyscall.sched_yield, sysSchedYield],
  [LinuxSyscall.brk, sysBrk],
  [LinuxSyscall.getrandom, sysGetrandom],
  [LinuxSyscall.clock_gettime64, sysClockGettime64],
]);
