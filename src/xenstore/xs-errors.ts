/** XenStore results: a value, or the errno name xenstored sends in its ERROR reply. */

export const XS_ERRORS = ['EINVAL', 'EACCES', 'EEXIST', 'EISDIR', 'ENOENT', 'ENOMEM', 'ENOSPC', 'EIO', 'ENOTEMPTY', 'ENOSYS', 'EROFS', 'EBUSY', 'EAGAIN', 'EISCONN', 'E2BIG', 'EPERM'] as const;
export type XsErrno = (typeof XS_ERRORS)[number];

export type XsResult<T = void> = { ok: true; value: T } | { ok: false; error: XsErrno };

export const ok = <T>(value: T): XsResult<T> => ({ ok: true, value });
export const done: XsResult = { ok: true, value: undefined };
export const err = <T = never>(error: XsErrno): XsResult<T> => ({ ok: false, error });
