/** Xen errno values (public/errno.h) that event-channel operations return, negated as the hypercall ABI does. */

export const XenErrno = {
  EPERM: -1,
  ENOENT: -2,
  ESRCH: -3,
  E2BIG: -7,
  EAGAIN: -11,
  ENOMEM: -12,
  EACCES: -13,
  EFAULT: -14,
  EBUSY: -16,
  EEXIST: -17,
  EINVAL: -22,
  ENOSPC: -28,
  ENOSYS: -38,
  EOPNOTSUPP: -95,
} as const;

export type XenErrnoName = keyof typeof XenErrno;
/** A failed operation's result: a negative Xen errno. */
export type XenError = (typeof XenErrno)[XenErrnoName];

const NAMES = new Map<number, XenErrnoName>(
  (Object.keys(XenErrno) as XenErrnoName[]).map((name) => [XenErrno[name], name]),
);

/** The name of a negative Xen errno (for messages and the API), or undefined for anything else. */
export const xenErrnoName = (code: number): XenErrnoName | undefined => NAMES.get(code);

/** True for a result that is an error (every success is >= 0). */
export const isXenError = (result: number): result is XenError => result < 0;
