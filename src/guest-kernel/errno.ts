/** Linux errno values the PV kernel returns (negated in a0, as the Linux syscall ABI does). */

export const Errno = {
  EPERM: 1, ENOENT: 2, EIO: 5, EBADF: 9, EAGAIN: 11, ENOMEM: 12, EFAULT: 14, EINVAL: 22, ENOSYS: 38,
} as const;

export type ErrnoName = keyof typeof Errno;

/** The a0 value of a failed syscall (a number the guest sees; the VMM throws CellaErrors instead). */
export const negErrno = (name: ErrnoName): number => -Errno[name];
