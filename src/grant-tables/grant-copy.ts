/** GNTTABOP_copy for one element: Xen's checks in order, then a copy that never crosses a frame. */
import type { GuestMemory } from '../vcpu/guest-memory.js';
import { FRAME_SHIFT, FRAME_SIZE } from '../vcpu/memory-layout.js';
import { DOMID_SELF, type GrantDomain } from './grant-domain.js';
import { GNTCOPY, GNTPIN } from './grant-flags.js';
import { entryFrame, entryPermits, type GrantContext } from './grant-map.js';
import { GNTST, type GntStatus } from './grant-status.js';

/** One side of a copy: a grant ref of `domid`, or (without the side's GNTCOPY_*_gref flag) a frame of the caller. */
export interface GrantCopyPtr {
  /** Xen's union u: the grant ref, or the GFN (guest-physical address >> 12). */
  u: number;
  domid: number;
  offset: number;
}

export interface GrantCopyOp { source: GrantCopyPtr; dest: GrantCopyPtr; len: number; flags: number }

interface CopyBuffer { memory: GuestMemory; gpa: number }

export function grantCopy(ctx: GrantContext, caller: GrantDomain, op: GrantCopyOp): GntStatus {
  const srcGref = (op.flags & GNTCOPY.source_gref) !== 0;
  const dstGref = (op.flags & GNTCOPY.dest_gref) !== 0;
  const src = lockDomain(ctx, caller, op.source.domid, srcGref);
  if (typeof src === 'number') return src;
  const dst = lockDomain(ctx, caller, op.dest.domid, dstGref);
  if (typeof dst === 'number') return dst;
  const from = claim(ctx, caller, src, op.source.u, srcGref, true);
  if (typeof from === 'number') return from;
  const to = claim(ctx, caller, dst, op.dest.u, dstGref, false);
  if (typeof to === 'number') return to;
  const len = op.len & 0xffff, so = op.source.offset & 0xffff, dof = op.dest.offset & 0xffff;
  if (so + len > FRAME_SIZE || dof + len > FRAME_SIZE) return GNTST.bad_copy_arg;
  const bytes = from.memory.read(from.gpa + so, len);
  if (!(bytes instanceof Uint8Array) || to.memory.write(to.gpa + dof, bytes) !== undefined) return GNTST.general_error;
  return GNTST.okay;
}

/** Only DOMID_SELF may name a frame directly; a grant's domain must exist (and not be dying). */
function lockDomain(ctx: GrantContext, caller: GrantDomain, domid: number, isGref: boolean): GrantDomain | GntStatus {
  if (domid !== DOMID_SELF && !isGref) return GNTST.permission_denied;
  const d = domid === DOMID_SELF ? caller : ctx.domain(domid);
  return d && !d.dying ? d : GNTST.bad_domain;
}

/** Xen's acquire_grant_for_copy (pinned only for the copy, so nothing stays set) or the caller's own frame. */
function claim(ctx: GrantContext, caller: GrantDomain, d: GrantDomain, u: number, isGref: boolean, readonly: boolean): CopyBuffer | GntStatus {
  if (!isGref) {
    const gpa = u * 2 ** FRAME_SHIFT;
    const ok = d.memory !== null && Number.isInteger(u) && u >= 0 && gpa < 2 ** 32 && d.memory.offsetOf(gpa, FRAME_SIZE) >= 0;
    return ok ? { memory: d.memory!, gpa } : GNTST.bad_page;
  }
  const table = ctx.table(d.domid);
  if (!table || !Number.isInteger(u) || u < 0 || u >= table.nrEntries) return GNTST.bad_gntref;
  const act = table.active.get(u);
  if (act && act.mapper !== caller.domid) return GNTST.general_error;
  const validate = !act || (!readonly && (act.pin & (GNTPIN.hstw_mask | GNTPIN.devw_mask)) === 0);
  if (validate && !entryPermits(table, u, caller.domid, readonly)) return GNTST.general_error;
  const gpa = act ? act.gpa : entryFrame(table, u);
  return gpa < 0 ? GNTST.bad_page : { memory: table.memory!, gpa };
}
