/**
 * XenStore hypercalls: paths and values as NUL-terminated strings in guest memory; results are a
 * length or 0, or a negative Linux errno for XenStore's error names. xs_read_watch blocks the vCPU
 * until one of the domain's watches fires and returns "path\0token\0".
 */
import type { HypercallTable } from '../hypercall-table.js';
import { Hypercall } from '../hypercall-numbers.js';
import { BLOCK, returns } from '../syscall-outcome.js';
import type { SyscallOutcome } from '../syscall-outcome.js';
import { DOMID_SELF } from '../../hypervisor/domid.js';
import type { XenStore } from '../../xenstore/xenstore.js';
import type { XsErrno, XsResult } from '../../xenstore/xs-errors.js';
import { readBytes, readCString, writeBounded } from './guest-buffers.js';

/** XenStore's errors as Linux errno numbers (XenStore speaks Linux errno names). */
const ERRNO: Record<XsErrno, number> = {
  EPERM: 1, ENOENT: 2, EIO: 5, E2BIG: 7, EAGAIN: 11, ENOMEM: 12, EACCES: 13, EBUSY: 16, EEXIST: 17, EISDIR: 21, EINVAL: 22,
  ENOSPC: 28, EROFS: 30, ENOSYS: 38, ENOTEMPTY: 39, EISCONN: 106,
};
const EFAULT = -14;
const encoder = new TextEncoder();

/** Watch events waiting for the domain's xs_read_watch. */
export interface WatchQueue {
  readonly events: { path: string; token: string }[];
}

const outcome = (r: XsResult<unknown>): SyscallOutcome => returns(r.ok ? 0 : -ERRNO[r.error]);

export function registerXenstoreHypercalls(table: HypercallTable, domid: number, xs: XenStore, queue: WatchQueue): void {
  const withPath = (fn: (path: string, ...rest: number[]) => SyscallOutcome) => (ctx: { memory: Parameters<typeof readCString>[0] }, a: readonly number[]) => {
    const path = readCString(ctx.memory, a[0] >>> 0);
    return path === null ? returns(EFAULT) : fn(path, ...a.slice(1));
  };
  table.register(Hypercall.xs_read, (ctx, a) =>
    withPath((path, buf, cap) => {
      const r = xs.read(domid, path);
      if (!r.ok) return returns(-ERRNO[r.error]);
      const bytes = encoder.encode(r.value);
      return writeBounded(ctx.memory, buf >>> 0, cap >>> 0, bytes) ? returns(bytes.length) : returns(EFAULT);
    })(ctx, a),
  );
  table.register(Hypercall.xs_write, (ctx, a) =>
    withPath((path, valueAddr, len) => {
      const value = readBytes(ctx.memory, valueAddr >>> 0, len | 0);
      if (!value) return returns(EFAULT);
      return outcome(xs.write(domid, path, new TextDecoder().decode(value)));
    })(ctx, a),
  );
  table.register(Hypercall.xs_mkdir, (ctx, a) => withPath((path) => outcome(xs.mkdir(domid, path)))(ctx, a));
  table.register(Hypercall.xs_rm, (ctx, a) => withPath((path) => outcome(xs.rm(domid, path)))(ctx, a));
  table.register(Hypercall.xs_set_perms, (ctx, a) =>
    withPath((path, permsAddr) => {
      const perms = readCString(ctx.memory, permsAddr >>> 0);
      return perms === null ? returns(EFAULT) : outcome(xs.setPerms(domid, path, perms.split(/\s+/).filter(Boolean)));
    })(ctx, a),
  );
  table.register(Hypercall.xs_watch, (ctx, a) =>
    withPath((path, tokenAddr) => {
      const token = readCString(ctx.memory, tokenAddr >>> 0);
      return token === null ? returns(EFAULT) : outcome(xs.watch(domid, path, token));
    })(ctx, a),
  );
  table.register(Hypercall.xs_unwatch, (ctx, a) =>
    withPath((path, tokenAddr) => {
      const token = readCString(ctx.memory, tokenAddr >>> 0);
      return token === null ? returns(EFAULT) : outcome(xs.unwatch(domid, path, token));
    })(ctx, a),
  );
  table.register(Hypercall.xs_directory, (ctx, a) =>
    withPath((path, buf, cap) => {
      const r = xs.directory(domid, path);
      if (!r.ok) return returns(-ERRNO[r.error]);
      const bytes = encoder.encode(r.value.map((e) => `${e}\0`).join(''));
      return writeBounded(ctx.memory, buf >>> 0, cap >>> 0, bytes) ? returns(bytes.length) : returns(EFAULT);
    })(ctx, a),
  );
  table.register(Hypercall.xs_get_domain_path, (ctx, a) => {
    const target = (a[0] & 0xffff) === DOMID_SELF ? domid : a[0] & 0xffff;
    const bytes = encoder.encode(`${xs.getDomainPath(target)}\0`);
    return writeBounded(ctx.memory, a[1] >>> 0, a[2] >>> 0, bytes) ? returns(bytes.length - 1) : returns(EFAULT);
  });
  table.register(Hypercall.xs_read_watch, (ctx, a) => {
    const event = queue.events[0];
    if (!event) return BLOCK;
    const bytes = encoder.encode(`${event.path}\0${event.token}\0`);
    if (bytes.length > (a[1] >>> 0)) return returns(-ERRNO.E2BIG);
    queue.events.shift();
    return writeBounded(ctx.memory, a[0] >>> 0, a[1] >>> 0, bytes) ? returns(bytes.length) : returns(EFAULT);
  });
}
