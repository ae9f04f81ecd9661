/** Cella hypercall numbers (mirrors guests/sdk/cella.h and docs/hypercalls.md). */

/** First hypercall number: far above every Linux syscall number, so the two never collide. */
export const HYPERCALL_BASE = 0x4000_0000;

export const Hypercall = {
  version: HYPERCALL_BASE + 0x000,
  control_poll: HYPERCALL_BASE + 0x001,
  register_shared_info: HYPERCALL_BASE + 0x002,
  sched_yield: HYPERCALL_BASE + 0x100,
  sched_block: HYPERCALL_BASE + 0x101,
  sched_shutdown: HYPERCALL_BASE + 0x102,
  sched_poll: HYPERCALL_BASE + 0x103,
  evtchn_alloc_unbound: HYPERCALL_BASE + 0x200,
  evtchn_bind_interdomain: HYPERCALL_BASE + 0x201,
  evtchn_bind_virq: HYPERCALL_BASE + 0x202,
  evtchn_bind_ipi: HYPERCALL_BASE + 0x203,
  evtchn_send: HYPERCALL_BASE + 0x204,
  evtchn_close: HYPERCALL_BASE + 0x205,
  evtchn_status: HYPERCALL_BASE + 0x206,
  evtchn_unmask: HYPERCALL_BASE + 0x207,
  evtchn_bind_vcpu: HYPERCALL_BASE + 0x208,
  evtchn_reset: HYPERCALL_BASE + 0x209,
  gnttab_setup_table: HYPERCALL_BASE + 0x300,
  gnttab_map_grant_ref: HYPERCALL_BASE + 0x301,
  gnttab_unmap_grant_ref: HYPERCALL_BASE + 0x302,
  gnttab_copy: HYPERCALL_BASE + 0x303,
  gnttab_query_size: HYPERCALL_BASE + 0x304,
  gnttab_alloc_ref: HYPERCALL_BASE + 0x305,
  qrexec_call: HYPERCALL_BASE + 0x400,
  qrexec_wait: HYPERCALL_BASE + 0x401,
  xs_read: HYPERCALL_BASE + 0x500,
  xs_write: HYPERCALL_BASE + 0x501,
  xs_mkdir: HYPERCALL_BASE + 0x502,
  xs_rm: HYPERCALL_BASE + 0x503,
  xs_set_perms: HYPERCALL_BASE + 0x504,
  xs_watch: HYPERCALL_BASE + 0x505,
  xs_read_watch: HYPERCALL_BASE + 0x506,
  xs_get_domain_path: HYPERCALL_BASE + 0x507,
  xs_directory: HYPERCALL_BASE + 0x508,
  xs_unwatch: HYPERCALL_BASE + 0x509,
} as const;

export type HypercallName = keyof typeof Hypercall;

/** The hypercall ABI version HC version returns. */
export const HYPERCALL_ABI_VERSION = 1;

/** True for numbers in the hypercall range. */
export const isHypercall = (nr: number): boolean => (nr >>> 0) >= HYPERCALL_BASE && (nr >>> 0) < HYPERCALL_BASE + 0x1_0000;
