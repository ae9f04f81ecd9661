/* Linux RISC-V syscall numbers (asm-generic unistd.h) the Cella PV kernel serves, and raw stubs. */
#ifndef CELLA_SYSCALL_H
#define CELLA_SYSCALL_H

#define SYS_read 63
#define SYS_write 64
#define SYS_exit 93
#define SYS_exit_group 94
#define SYS_sched_yield 124
#define SYS_brk 214
#define SYS_getrandom 278
#define SYS_clock_gettime64 403

static inline long __syscall3(long n, long a, long b, long c)
{
  register long a7 __asm__("a7") = n;
  register long a0 __asm__("a0") = a;
  register long a1 __asm__("a1") = b;
  register long a2 __asm__("a2") = c;
  __asm__ volatile("ecall" : "+r"(a0) : "r"(a7), "r"(a1), "r"(a2) : "memory");
  return a0;
}

#define __syscall0(n) __syscall3((n), 0, 0, 0)
#define __syscall1(n, a) __syscall3((n), (long)(a), 0, 0)
#define __syscall2(n, a, b) __syscall3((n), (long)(a), (long)(b), 0)

#endif
