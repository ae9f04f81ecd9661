/** vchan results: setup errors as values with codes from the layer that failed, and the I/O return codes. */
import { err, ok, type Result } from '../../result/result.js';
import type { XenErrnoName } from '../../event-channels/errno.js';
import type { GntStatusName } from '../../grant-tables/grant-status.js';
import type { XsErrno } from '../../xenstore/xs-errors.js';

/** An errno (event channels, XenStore), a grant status, ENOMEM (no free frames) or EPROTO (bad shared data). */
export type VchanErrorCode = XenErrnoName | XsErrno | `GNTST_${GntStatusName}` | 'ENOMEM' | 'EPROTO';

/** The step of server or client setup (or restore) that failed. */
export type VchanStep =
  | 'sizes' | 'frames' | 'alloc_unbound' | 'grant' | 'xenstore' | 'bind_interdomain' | 'map_grant_ref' | 'orders'
  | 'restore';

export interface VchanError { readonly code: VchanErrorCode; readonly step: VchanStep; readonly detail: string }

export type VchanResult<T> = Result<T, VchanError>;

export const vchanOk = <T>(value: T): VchanResult<T> => ok(value);
export const vchanErr = <T = never>(code: VchanErrorCode, step: VchanStep, detail: string): VchanResult<T> =>
  err({ code, step, detail });

/**
 * Return codes of the number-returning I/O calls (libvchan returns -1 for both; the packet calls of a
 * non-blocking libvchan return 0 forever for a packet larger than the ring, which a caller waiting for
 * events would never leave, so this model says so).
 */
export const VCHAN_CLOSED = -1;
export const VCHAN_TOO_BIG = -2;
