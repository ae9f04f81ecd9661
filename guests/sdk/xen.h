/* Cella guest SDK: Xen-style event channels, grant tables and the store, as static inline wrappers
 * (docs/hypercalls.md, docs/event-channels.md, docs/grant-tables.md, docs/xenstore.md). Only programs
 * that include this header carry the code. */
#ifndef CELLA_XEN_H
#define CELLA_XEN_H

#include "cella.h"

#define DOMID_SELF 0x7ff0

/* ---- shared info (2-level event channels, Xen's x86_32 layout) ---- */
struct cella_vcpu_info {
  volatile uint8_t evtchn_upcall_pending;
  volatile uint8_t evtchn_upcall_mask;
  uint16_t pad;
  volatile uint32_t evtchn_pending_sel;
  uint8_t reserved[56];
};
struct cella_shared_info {
  struct cella_vcpu_info vcpu_info[32];
  volatile uint32_t evtchn_pending[32];
  volatile uint32_t evtchn_mask[32];
};

/* ---- grant table v1 ---- */
#define GTF_permit_access 0x1
#define GTF_readonly      0x4
#define GTF_reading       0x8
#define GTF_writing       0x10
#define GNTMAP_host_map   0x2
#define GNTMAP_readonly   0x4
#define GNTTAB_NR_RESERVED_ENTRIES 8
/* Grant mappings appear in the window below RAM. */
#define GRANT_MAP_WINDOW 0x40000000u

struct grant_entry_v1 { volatile uint16_t flags; volatile uint16_t domid; volatile uint32_t frame; };
struct gnttab_map_grant_ref { uint32_t host_addr; uint32_t flags; uint32_t ref; uint32_t dom; int32_t status; uint32_t handle; };
struct gnttab_unmap_grant_ref { uint32_t host_addr; uint32_t dev_bus_addr; uint32_t handle; int32_t status; };

static inline long hc0(long nr) { return cella_hypercall(nr, 0, 0, 0); }
static inline long hc1(long nr, long a) { return cella_hypercall(nr, a, 0, 0); }
static inline long hc2(long nr, long a, long b) { return cella_hypercall(nr, a, b, 0); }
static inline long hc3(long nr, long a, long b, long c) { return cella_hypercall(nr, a, b, c); }

static inline long evtchn_alloc_unbound(int dom, int remote) { return hc2(CELLA_HC_EVTCHN_ALLOC_UNBOUND, dom, remote); }
static inline long evtchn_bind_interdomain(int rdom, int rport) { return hc2(CELLA_HC_EVTCHN_BIND_INTERDOMAIN, rdom, rport); }
static inline long evtchn_send(int port) { return hc1(CELLA_HC_EVTCHN_SEND, port); }
static inline long evtchn_close(int port) { return hc1(CELLA_HC_EVTCHN_CLOSE, port); }
static inline long register_shared_info(void *page) { return hc1(CELLA_HC_REGISTER_SHARED_INFO, (long)page); }
static inline long sched_poll(uint32_t *ports, int n) { return hc2(CELLA_HC_SCHED_POLL, (long)ports, n); }
static inline long gnttab_setup_table(uint32_t *frames, int n) { return hc2(CELLA_HC_GNTTAB_SETUP_TABLE, (long)frames, n); }
static inline long gnttab_alloc_ref(void) { return hc0(CELLA_HC_GNTTAB_ALLOC_REF); }
static inline long gnttab_map(struct gnttab_map_grant_ref *ops, int n) { return hc2(CELLA_HC_GNTTAB_MAP_GRANT_REF, (long)ops, n); }
static inline long gnttab_unmap(struct gnttab_unmap_grant_ref *ops, int n) { return hc2(CELLA_HC_GNTTAB_UNMAP_GRANT_REF, (long)ops, n); }
static inline long xs_read(const char *path, char *buf, int cap) { return hc3(CELLA_HC_XS_READ, (long)path, (long)buf, cap); }
static inline long xs_write(const char *path, const char *value, int len) { return hc3(CELLA_HC_XS_WRITE, (long)path, (long)value, len); }
static inline long xs_mkdir(const char *path) { return hc1(CELLA_HC_XS_MKDIR, (long)path); }
static inline long xs_set_perms(const char *path, const char *perms) { return hc2(CELLA_HC_XS_SET_PERMS, (long)path, (long)perms); }
static inline long xs_watch(const char *path, const char *token) { return hc2(CELLA_HC_XS_WATCH, (long)path, (long)token); }
static inline long xs_read_watch(char *buf, int cap) { return hc2(CELLA_HC_XS_READ_WATCH, (long)buf, cap); }
static inline long xs_domain_path(int domid, char *buf, int cap) { return hc3(CELLA_HC_XS_GET_DOMAIN_PATH, domid, (long)buf, cap); }

/* Clears a port's pending bit (the guest acknowledges the event; one vCPU, so no atomics needed). */
static inline void evtchn_clear(struct cella_shared_info *si, int port) {
  si->evtchn_pending[port >> 5] &= ~(1u << (port & 31));
}

/* Appends s to buf at *len (no bounds beyond cap). */
static inline void strcat_n(char *buf, int *len, int cap, const char *s) {
  while (*s && *len < cap - 1) buf[(*len)++] = *s++;
  buf[*len] = 0;
}

/* Reads a decimal store value into *out: 0, or a negative errno (ENOENT when not there yet). */
static inline long xs_read_u32(const char *path, uint32_t *out) {
  char v[16];
  long n = xs_read(path, v, sizeof v - 1);
  if (n < 0) return n;
  v[n < 15 ? n : 15] = 0;
  *out = (uint32_t)atoi(v);
  return 0;
}

/* Waits (watching) until `path` holds a number. */
static inline uint32_t xs_wait_u32(const char *path) {
  uint32_t value;
  char ev[512];
  xs_watch(path, "wait");
  while (xs_read_u32(path, &value) != 0) xs_read_watch(ev, sizeof ev);
  return value;
}

#endif
