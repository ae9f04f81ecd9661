/** XenStore results: a value, or the errno name xenstored sends in its ERROR reply. */
import { err as errResult, ok as okResult, type Result } from '../result/result.js';

export const XS_ERRORS = ['EINVAL', 'EACCES', 'EEXIST', 'EISDIR', 'ENOENT', 'ENOMEM', 'ENOSPC', 'EIO', 'ENOTEMPTY', 'ENOSYS', 'EROFS', 'EBUSY', 'EAGAIN', 'EISCONN', 'E2BIG', 'EPERM'] as const;
export type XsErrno = (typeof XS_ERRORS)[number];

export type XsResult<T = void> = Result<T, XsErrno>;

export const ok = <T>(value: T): XsResult<T> => okResult(value);
export const done: XsResult = okResult(undefined);
export const err = <T = never>(error: XsErrno): XsResult<T> => errResult(error);
