/** Linux RISC-V (asm-generic unistd.h) syscall numbers served by the PV kernel. */

export const LinuxSyscall = {
  read: 63,
  write: 64,
  exit: 93,
  exit_group: 94,
  sched_yield: 124,
  brk: 214,
  getrandom: 278,
  /** riscv32 has only 64-bit time: clock_gettime64. */
  clock_gettime64: 403,
} as const;

export type LinuxSyscallName = keyof typeof LinuxSyscall;

/** Linux assigns asm-generic syscall numbers below this; Cella's hypercalls live far above it. */
export const LINUX_SYSCALL_LIMIT = 1024;

const NAMES: ReadonlyMap<number, string> = new Map(Object.entries(LinuxSyscall).map(([k, v]) => [v, k]));

/** Name of a syscall number, for statistics. */
export const syscallName = (nr: number): string => NAMES.get(nr) ?? `syscall_${nr}`;
