/* Cella guest syscall stubs over ECALL with the Linux RISC-V ABI. */
#include "cella.h"

ssize_t read(int fd, void *buf, size_t n) { return __syscall3(SYS_read, fd, (long)buf, (long)n); }

ssize_t write(int fd, const void *buf, size_t n) { return __syscall3(SYS_write, fd, (long)buf, (long)n); }

void exit(int status)
{
  __syscall1(SYS_exit_group, status);
  for (;;) __syscall1(SYS_exit, status);
}

void *sbrk(int increment)
{
  static char *cur;
  if (cur == 0) cur = (char *)__syscall1(SYS_brk, 0);
  char *old = cur;
  char *want = cur + increment;
  if ((char *)__syscall1(SYS_brk, want) != want) return (void *)-1;
  cur = want;
  return old;
}

int clock_gettime64(int clock, struct cella_timespec64 *ts) { return __syscall2(SYS_clock_gettime64, clock, ts); }

ssize_t getrandom(void *buf, size_t n, unsigned flags) { return __syscall3(SYS_getrandom, (long)buf, (long)n, (long)flags); }

int sched_yield(void) { return __syscall0(SYS_sched_yield); }
