/** GNTTABOP_map_grant_ref and unmap_grant_ref for one element, with Xen's checks in Xen's order. */
import type { GrantDomain } from './grant-domain.js';
import { inGrantMapWindow } from './grant-domain.js';
import { GNTMAP, GNTPIN, GTF } from './grant-flags.js';
import type { Maptrack, MaptrackEntry } from './grant-maptrack.js';
import { GNTST, type GntStatus } from './grant-status.js';
import type { GrantTable } from './grant-table.js';
import { FRAME_SHIFT } from '../vcpu/memory-layout.js';

export interface MapGrantRefOp {
  /** Guest-physical address in the mapper's grant-mapping window where the frame appears. */
  hostAddr: number;
  flags: number;
  ref: number;
  /** The granter (a real domid: DOMID_SELF is not accepted here). */
  dom: number;
}

export interface MapGrantRefResult {
  status: GntStatus;
  /** The maptrack handle (-1 on failure). */
  handle: number;
  /** Device mappings are not modelled: always 0. */
  devBusAddr: number;
}

export interface UnmapGrantRefOp { hostAddr: number; devBusAddr: number; handle: number }

/** What the map and copy operations need of the model. */
export interface GrantContext {
  domain(domid: number): GrantDomain | undefined;
  /** A live domain's table (made on first use). */
  table(domid: number): GrantTable | undefined;
  maptrack(domid: number): Maptrack;
}

const refused = (status: GntStatus): MapGrantRefResult => ({ status, handle: -1, devBusAddr: 0 });

/** Checks the shared entry as Xen's _set_status does before a first (or first writable) pin. */
export function entryPermits(table: GrantTable, ref: number, user: number, readonly: boolean): boolean {
  const e = table.readEntry(ref);
  if ((e.flags & (GTF.type_mask | GTF.sub_page)) !== GTF.permit_access || e.domid !== user) return false;
  return readonly || (e.flags & GTF.readonly) === 0;
}

/** The granted frame's guest-physical address, or -1 when the entry's frame is not in the granter's RAM. */
export function entryFrame(table: GrantTable, ref: number): number {
  const frame = table.readEntry(ref).frame;
  const gpa = frame * 2 ** FRAME_SHIFT;
  return gpa < 2 ** 32 && table.isRamFrame(gpa) ? gpa : -1;
}

export function mapGrantRef(ctx: GrantContext, mapper: GrantDomain, op: MapGrantRefOp): MapGrantRefResult {
  if ((op.flags & (GNTMAP.host_map | GNTMAP.device_map)) === 0) return refused(GNTST.bad_gntref);
  if ((op.flags & (GNTMAP.device_map | GNTMAP.application_map | GNTMAP.contains_pte)) !== 0) return refused(GNTST.general_error);
  const granter = ctx.domain(op.dom);
  const table = granter && !granter.dying ? ctx.table(op.dom) : undefined;
  if (!table) return refused(GNTST.bad_domain);
  const mt = ctx.maptrack(mapper.domid);
  const handle = mt.freeHandle();
  if (handle < 0) return refused(GNTST.no_space);
  if (!Number.isInteger(op.ref) || op.ref < 0 || op.ref >= table.nrEntries) return refused(GNTST.bad_gntref);
  const readonly = (op.flags & GNTMAP.readonly) !== 0;
  const act = table.active.get(op.ref);
  if (act && (act.mapper !== mapper.domid || (act.pin & GNTPIN.overflow_mask) !== 0)) return refused(GNTST.general_error);
  const validate = !act || (!readonly && (act.pin & (GNTPIN.hstw_mask | GNTPIN.devw_mask)) === 0);
  if (validate && !entryPermits(table, op.ref, mapper.domid, readonly)) return refused(GNTST.general_error);
  const gpa = act ? act.gpa : entryFrame(table, op.ref);
  if (gpa < 0) return refused(GNTST.bad_page);
  if (!placeMapping(mt, mapper, op.hostAddr, table, gpa, !readonly)) return refused(GNTST.general_error);
  if (validate) table.setFlagBits(op.ref, readonly ? GTF.reading : GTF.reading | GTF.writing);
  const pinned = act ?? { mapper: mapper.domid, pin: 0, gpa };
  pinned.pin += readonly ? GNTPIN.hstr_inc : GNTPIN.hstw_inc;
  table.active.set(op.ref, pinned);
  mt.set(handle, { table, ref: op.ref, readonly, hostAddr: op.hostAddr });
  return { status: GNTST.okay, handle, devBusAddr: 0 };
}

/** Puts the granter's frame at host_addr in the mapper's window (host-side only for a window-less mapper). */
function placeMapping(mt: Maptrack, mapper: GrantDomain, hostAddr: number, table: GrantTable, gpa: number, writable: boolean): boolean {
  if (!inGrantMapWindow(hostAddr) || mt.hasHostAddr(hostAddr)) return false;
  const window = mapper.foreignFrames;
  return !window || window.map(hostAddr, table.memory!, gpa, writable) === undefined;
}

export function unmapGrantRef(ctx: GrantContext, mapper: GrantDomain, op: UnmapGrantRefOp): GntStatus {
  const mt = ctx.maptrack(mapper.domid);
  const e = mt.get(op.handle);
  if (!e) return GNTST.bad_handle;
  if (op.devBusAddr !== 0) return GNTST.bad_dev_addr;
  if (op.hostAddr === 0) return GNTST.okay;
  if (op.hostAddr !== e.hostAddr) return GNTST.general_error;
  releaseMapping(mapper, mt, op.handle, e);
  return GNTST.okay;
}

/** Drops one mapping: the window slot, the pin, and the entry's reading/writing flags as the pins reach zero. */
export function releaseMapping(mapper: GrantDomain | undefined, mt: Maptrack, handle: number, e: MaptrackEntry): void {
  mapper?.foreignFrames?.unmap(e.hostAddr);
  mt.free(handle);
  const act = e.table.active.get(e.ref);
  if (!act) return;
  act.pin -= e.readonly ? GNTPIN.hstr_inc : GNTPIN.hstw_inc;
  if ((act.pin & (GNTPIN.hstw_mask | GNTPIN.devw_mask)) === 0) e.table.clearFlagBits(e.ref, GTF.writing);
  if (act.pin === 0) {
    e.table.clearFlagBits(e.ref, GTF.reading);
    e.table.active.delete(e.ref);
  }
}
