/* Cella guest SDK: the hypercall ABI and the small libc the sample programs use.
 *
 * Hypercalls are ECALLs like Linux syscalls (number in a7, arguments in a0..a5, result in a0,
 * negative errno on failure), with numbers from CELLA_HC_BASE up, a range Linux never uses
 * (asm-generic syscalls end below 1024). See docs/hypercalls.md. */
#ifndef CELLA_H
#define CELLA_H

#include "syscall.h"

typedef unsigned int uint32_t;
typedef int int32_t;
typedef unsigned short uint16_t;
typedef unsigned char uint8_t;
typedef unsigned long long uint64_t;
typedef long long int64_t;
typedef unsigned int size_t;
typedef int ssize_t;

/* ---- hypercall numbers ---- */
#define CELLA_HC_BASE 0x40000000
/* Groups: 0x000 core, 0x100 scheduling, 0x200 event channels, 0x300 grant tables, 0x400 qrexec/vchan. */
#define CELLA_HC_VERSION            (CELLA_HC_BASE + 0x000) /* () -> ABI version (1) */
#define CELLA_HC_SCHED_YIELD        (CELLA_HC_BASE + 0x100) /* () -> 0 */
#define CELLA_HC_CONTROL_POLL       (CELLA_HC_BASE + 0x001) /* () -> pending control requests (CELLA_WAKE_*) */
#define CELLA_HC_REGISTER_SHARED_INFO (CELLA_HC_BASE + 0x002) /* (gpa of a frame of own RAM) -> 0 */
#define CELLA_HC_SCHED_BLOCK        (CELLA_HC_BASE + 0x101) /* () -> why it woke: CELLA_WAKE_* bits */
#define CELLA_HC_SCHED_SHUTDOWN     (CELLA_HC_BASE + 0x102) /* (reason) -> no return */
#define CELLA_HC_SCHED_POLL         (CELLA_HC_BASE + 0x103) /* (u32 *ports, nr) -> 0 once one is pending */

/* Wake reasons returned by sched_block and control_poll. */
#define CELLA_WAKE_EVENT    0x1 /* an event channel is pending */
#define CELLA_WAKE_SHUTDOWN 0x2 /* the toolstack asks the guest to shut down (qvm-shutdown) */

/* sched_shutdown reasons (Xen's SHUTDOWN_*). */
#define CELLA_SHUTDOWN_POWEROFF 0
#define CELLA_SHUTDOWN_REBOOT   1
#define CELLA_SHUTDOWN_SUSPEND  2
#define CELLA_SHUTDOWN_CRASH    3
#define CELLA_HC_EVTCHN_ALLOC_UNBOUND    (CELLA_HC_BASE + 0x200) /* later issue */
#define CELLA_HC_EVTCHN_BIND_INTERDOMAIN (CELLA_HC_BASE + 0x201)
#define CELLA_HC_EVTCHN_BIND_VIRQ        (CELLA_HC_BASE + 0x202)
#define CELLA_HC_EVTCHN_BIND_IPI         (CELLA_HC_BASE + 0x203)
#define CELLA_HC_EVTCHN_SEND             (CELLA_HC_BASE + 0x204)
#define CELLA_HC_EVTCHN_CLOSE            (CELLA_HC_BASE + 0x205)
#define CELLA_HC_EVTCHN_STATUS           (CELLA_HC_BASE + 0x206)
#define CELLA_HC_EVTCHN_UNMASK           (CELLA_HC_BASE + 0x207)
#define CELLA_HC_EVTCHN_BIND_VCPU        (CELLA_HC_BASE + 0x208)
#define CELLA_HC_EVTCHN_RESET            (CELLA_HC_BASE + 0x209)
#define CELLA_HC_GNTTAB_SETUP_TABLE      (CELLA_HC_BASE + 0x300) /* later issue */
#define CELLA_HC_GNTTAB_MAP_GRANT_REF    (CELLA_HC_BASE + 0x301)
#define CELLA_HC_GNTTAB_UNMAP_GRANT_REF  (CELLA_HC_BASE + 0x302)
#define CELLA_HC_GNTTAB_COPY             (CELLA_HC_BASE + 0x303)
#define CELLA_HC_GNTTAB_QUERY_SIZE       (CELLA_HC_BASE + 0x304)
#define CELLA_HC_GNTTAB_ALLOC_REF        (CELLA_HC_BASE + 0x305) /* () -> a ref for guest code to fill itself */
#define CELLA_HC_QREXEC_CALL        (CELLA_HC_BASE + 0x400) /* (target, "service+arg") -> call id; stdio relayed */
#define CELLA_HC_QREXEC_WAIT        (CELLA_HC_BASE + 0x401) /* (id, int *refused or 0) -> exit code (126 refused, 125 failure, 127 no service) */
#define CELLA_HC_XS_READ            (CELLA_HC_BASE + 0x500) /* (path, buf, cap) -> value length */
#define CELLA_HC_XS_WRITE           (CELLA_HC_BASE + 0x501) /* (path, value, len) -> 0 */
#define CELLA_HC_XS_MKDIR           (CELLA_HC_BASE + 0x502) /* (path) -> 0 */
#define CELLA_HC_XS_RM              (CELLA_HC_BASE + 0x503) /* (path) -> 0 */
#define CELLA_HC_XS_SET_PERMS       (CELLA_HC_BASE + 0x504) /* (path, "n5 r7") -> 0 */
#define CELLA_HC_XS_WATCH           (CELLA_HC_BASE + 0x505) /* (path, token) -> 0 */
#define CELLA_HC_XS_READ_WATCH      (CELLA_HC_BASE + 0x506) /* (buf, cap) -> "path\0token\0" length; blocks */
#define CELLA_HC_XS_GET_DOMAIN_PATH (CELLA_HC_BASE + 0x507) /* (domid, buf, cap) -> length */
#define CELLA_HC_XS_DIRECTORY       (CELLA_HC_BASE + 0x508) /* (path, buf, cap) -> "a\0b\0" length */
#define CELLA_HC_XS_UNWATCH         (CELLA_HC_BASE + 0x509) /* (path, token) -> 0 */

static inline long cella_hypercall(long nr, long a0, long a1, long a2)
{
  return __syscall3(nr, a0, a1, a2);
}

/* ---- time ---- */
struct cella_timespec64 { int64_t tv_sec; int64_t tv_nsec; };
#define CLOCK_REALTIME 0
#define CLOCK_MONOTONIC 1

/* ---- syscalls ---- */
ssize_t read(int fd, void *buf, size_t n);
ssize_t write(int fd, const void *buf, size_t n);
void exit(int status) __attribute__((noreturn));
void *sbrk(int increment);
int clock_gettime64(int clock, struct cella_timespec64 *ts);
ssize_t getrandom(void *buf, size_t n, unsigned flags);
int sched_yield(void);

/* ---- small libc ---- */
void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *dst, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
int atoi(const char *s);
void write_all(int fd, const void *buf, size_t n);
void puts_fd(int fd, const char *s);
/* Formats v into buf (at least 11 bytes) and returns the length. */
int fmt_hex32(char *buf, uint32_t v);
int fmt_u32(char *buf, uint32_t v);

#endif
