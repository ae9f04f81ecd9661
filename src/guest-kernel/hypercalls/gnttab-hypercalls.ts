/**
 * Grant-table hypercalls (GNTTABOP_*), batched like Xen's: the ops are structs in guest memory and
 * each gets its own status written back.
 *   map:   struct { u32 host_addr; u32 flags; u32 ref; u32 dom; i32 status; u32 handle }        (24 bytes)
 *   unmap: struct { u32 host_addr; u32 dev_bus_addr; u32 handle; i32 status }                   (16 bytes)
 *   copy:  struct { u32 src_u; u16 src_dom; u16 src_off; u32 dst_u; u16 dst_dom; u16 dst_off;
 *                   u16 len; u16 flags; i32 status }                                             (24 bytes)
 */
import type { GrantTables } from '../../grant-tables/grant-tables.js';
import type { HypercallTable } from '../hypercall-table.js';
import { Hypercall } from '../hypercall-numbers.js';
import { negErrno } from '../errno.js';
import { returns } from '../syscall-outcome.js';
import type { SyscallContext } from '../syscall-context.js';
import { readU32s } from './guest-buffers.js';

/** At most this many ops per call (Xen processes big batches in continuations; we cap them). */
export const MAX_BATCH = 512;

const u16 = (v: number, shift: number) => (v >>> shift) & 0xffff;

function structs(ctx: SyscallContext, addr: number, count: number, size: number): number[][] | null {
  if (count < 0 || count > MAX_BATCH) return null;
  const words = readU32s(ctx.memory, addr, (count * size) / 4);
  if (!words) return null;
  return Array.from({ length: count }, (_, i) => words.slice((i * size) / 4, ((i + 1) * size) / 4));
}

export function registerGnttabHypercalls(table: HypercallTable, domid: number, grants: GrantTables): void {
  table.register(Hypercall.gnttab_setup_table, (ctx, a) => {
    // the caller names the frames by its own addresses for them (one it does not map names none, 0); the table holds guest-physical ones
    const frames = readU32s(ctx.memory, a[0] >>> 0, a[1] >>> 0)?.map((va) => ctx.memory.physicalAddress(va) ?? 0);
    return returns(frames ? grants.setupTable(domid, domid, frames) : negErrno('EFAULT'));
  });
  // a ref for guest code to fill itself, which the PV kernel's own grants will not take
  table.register(Hypercall.gnttab_alloc_ref, () => returns(grants.allocGuestRef(domid)));
  table.register(Hypercall.gnttab_query_size, (ctx, a) => {
    const r = grants.querySize(domid, domid);
    const out = a[0] >>> 0;
    if (!ctx.memory.canAccess(out, 12, true)) return returns(negErrno('EFAULT'));
    ctx.memory.writeU32(out, r.nrFrames);
    ctx.memory.writeU32(out + 4, r.maxNrFrames);
    ctx.memory.writeU32(out + 8, r.status >>> 0);
    return returns(0);
  });
  table.register(Hypercall.gnttab_map_grant_ref, (ctx, a) => {
    const ops = structs(ctx, a[0] >>> 0, a[1] | 0, 24);
    if (!ops) return returns(negErrno('EFAULT'));
    const results = grants.mapGrantRef(domid, ops.map((w) => ({ hostAddr: w[0], flags: w[1], ref: w[2], dom: w[3] & 0xffff })));
    results.forEach((r, i) => {
      ctx.memory.writeU32((a[0] >>> 0) + i * 24 + 16, r.status >>> 0);
      ctx.memory.writeU32((a[0] >>> 0) + i * 24 + 20, r.handle >>> 0);
    });
    return returns(0);
  });
  table.register(Hypercall.gnttab_unmap_grant_ref, (ctx, a) => {
    const ops = structs(ctx, a[0] >>> 0, a[1] | 0, 16);
    if (!ops) return returns(negErrno('EFAULT'));
    const statuses = grants.unmapGrantRef(domid, ops.map((w) => ({ hostAddr: w[0], devBusAddr: w[1], handle: w[2] })));
    statuses.forEach((s, i) => ctx.memory.writeU32((a[0] >>> 0) + i * 16 + 12, s >>> 0));
    return returns(0);
  });
  table.register(Hypercall.gnttab_copy, (ctx, a) => {
    const ops = structs(ctx, a[0] >>> 0, a[1] | 0, 24);
    if (!ops) return returns(negErrno('EFAULT'));
    const statuses = grants.copy(
      domid,
      ops.map((w) => ({
        source: { u: w[0], domid: u16(w[1], 0), offset: u16(w[1], 16) },
        dest: { u: w[2], domid: u16(w[3], 0), offset: u16(w[3], 16) },
        len: u16(w[4], 0),
        flags: u16(w[4], 16),
      })),
    );
    statuses.forEach((s, i) => ctx.memory.writeU32((a[0] >>> 0) + i * 24 + 20, s >>> 0));
    return returns(0);
  });
}
