/** Xen v1 grant tables across domains: setup/query, batched map, unmap and copy, end of access, death. */
import type { GuestMemory } from '../vcpu/guest-memory.js';
import { FRAME_SHIFT } from '../vcpu/memory-layout.js';
import { grantCopy, type GrantCopyOp } from './grant-copy.js';
import { grantDump, type GrantDebugDomain } from './grant-debug.js';
import { DOMID_SELF, type GrantDomain, type GrantDomainDirectory } from './grant-domain.js';
import {
  DEFAULT_MAX_GRANT_FRAMES, DEFAULT_MAX_MAPTRACK_FRAMES, GNTTAB_NR_RESERVED_ENTRIES, GTF, MAPTRACK_PER_FRAME,
} from './grant-flags.js';
import {
  mapGrantRef, releaseMapping, unmapGrantRef, type GrantContext, type MapGrantRefOp, type MapGrantRefResult, type UnmapGrantRefOp,
} from './grant-map.js';
import { Maptrack } from './grant-maptrack.js';
import { GNTST, type GntStatus } from './grant-status.js';
import { GrantTable } from './grant-table.js';
import {
  restoreDomainGrants, restoreGrantTables, saveGrantTables, saveMaptrack, saveTable, type GrantTablesState, type SavedDomainGrants,
} from './grant-tables.persist.js';

export type { SavedDomainGrants };

export interface GrantDomainOptions {
  /** Xen's max_grant_frames (default 64). */
  maxGrantFrames?: number;
  /** Xen's max_maptrack_frames (default 1024, 256 mappings each). */
  maxMaptrackFrames?: number;
}

export interface QuerySizeResult { status: GntStatus; nrFrames: number; maxNrFrames: number }

/** A mapped frame as host code reaches it (dom0's TypeScript side has no window of its own). */
export interface MappedFrame { memory: GuestMemory; addr: number; writable: boolean }

export class GrantTables implements GrantContext {
  private readonly tables = new Map<number, GrantTable>();
  private readonly maptracks = new Map<number, Maptrack>();
  /** Tables of dead granters whose frames are still mapped somewhere. */
  private readonly zombies = new Set<GrantTable>();

  constructor(private readonly directory: GrantDomainDirectory) {}

  /** Creates a domain's table and maptrack with its limits (otherwise made with defaults on first use). */
  addDomain(domid: number, options: GrantDomainOptions = {}): void {
    const d = this.directory.domain(domid);
    if (!d) throw new Error(`grant table of domain ${domid}: no such domain`);
    if (this.tables.has(domid)) throw new Error(`grant table of domain ${domid} already exists`);
    const maxFrames = options.maxGrantFrames ?? DEFAULT_MAX_GRANT_FRAMES;
    this.tables.set(domid, new GrantTable(domid, d.memory, maxFrames));
    this.maptracks.set(domid, new Maptrack(domid, (options.maxMaptrackFrames ?? DEFAULT_MAX_MAPTRACK_FRAMES) * MAPTRACK_PER_FRAME));
  }

  domain(domid: number): GrantDomain | undefined {
    return this.directory.domain(domid);
  }

  table(domid: number): GrantTable | undefined {
    let t = this.tables.get(domid);
    const d = t ? undefined : this.directory.domain(domid);
    if (!t && d && !d.dying) {
      t = new GrantTable(domid, d.memory, DEFAULT_MAX_GRANT_FRAMES);
      this.tables.set(domid, t);
    }
    return t;
  }

  maptrack(domid: number): Maptrack {
    let mt = this.maptracks.get(domid);
    if (!mt) {
      mt = new Maptrack(domid, DEFAULT_MAX_MAPTRACK_FRAMES * MAPTRACK_PER_FRAME);
      this.maptracks.set(domid, mt);
    }
    return mt;
  }

  // ---- GNTTABOP_setup_table and query_size ----

  /**
   * The granter names guest-physical frames of its RAM as its table frames (frame i holds refs 512·i …).
   * A list shorter than the table re-registers its first frames; the table never shrinks.
   */
  setupTable(caller: number, dom: number, frames: readonly number[]): GntStatus {
    const found = this.target(caller, dom);
    if (typeof found === 'number') return found;
    const t = found;
    if (frames.length > t.maxFrames) return GNTST.general_error;
    const after = [...frames, ...t.frames.slice(frames.length)];
    if (!frames.every((gpa) => t.isRamFrame(gpa)) || new Set(after).size !== after.length) return GNTST.bad_virt_addr;
    t.setFrames(frames);
    return GNTST.okay;
  }

  querySize(caller: number, dom: number): QuerySizeResult {
    const found = this.target(caller, dom);
    if (typeof found === 'number') return { status: found, nrFrames: 0, maxNrFrames: 0 };
    return { status: GNTST.okay, nrFrames: found.frames.length, maxNrFrames: found.maxFrames };
  }

  /** Domain lookup (DOMID_SELF allowed), then Xen's XSM_TARGET check. */
  private target(caller: number, dom: number): GrantTable | GntStatus {
    const c = this.directory.domain(caller);
    const d = dom === DOMID_SELF ? c : this.directory.domain(dom);
    const t = d && this.table(d.domid);
    if (!c || !d || !t) return GNTST.bad_domain;
    if (c.domid !== d.domid && !c.privileged) return GNTST.permission_denied;
    return t;
  }

  // ---- batched operations: one status per element ----

  mapGrantRef(mapper: number, ops: readonly MapGrantRefOp[]): MapGrantRefResult[] {
    const m = this.directory.domain(mapper);
    return ops.map((op) => m ? mapGrantRef(this, m, op) : { status: GNTST.general_error, handle: -1, devBusAddr: 0 });
  }

  unmapGrantRef(mapper: number, ops: readonly UnmapGrantRefOp[]): GntStatus[] {
    const m = this.directory.domain(mapper);
    return ops.map((op) => {
      if (!m) return GNTST.general_error;
      const status = unmapGrantRef(this, m, op);
      this.reapZombies();
      return status;
    });
  }

  copy(caller: number, ops: readonly GrantCopyOp[]): GntStatus[] {
    const c = this.directory.domain(caller);
    return ops.map((op) => (c ? grantCopy(this, c, op) : GNTST.general_error));
  }

  // ---- helpers for the PV kernel (guest code does the same in its own memory) ----

  /** Writes a permit_access entry: domid and frame first, flags last. False when ref is beyond the table. */
  grantAccess(granter: number, ref: number, domid: number, gpa: number, readonly: boolean): boolean {
    const t = this.tables.get(granter);
    if (!t || !Number.isInteger(ref) || ref < 0 || ref >= t.nrEntries) return false;
    t.writeEntry(ref, { flags: GTF.permit_access | (readonly ? GTF.readonly : 0), domid, frame: Math.floor(gpa / 2 ** FRAME_SHIFT) });
    return true;
  }

  /**
   * Linux's gnttab_end_foreign_access_ref: clears the entry unless GTF_reading or GTF_writing is set
   * (a mapping or copy is using it); false then, and the entry is left as it is.
   */
  endForeignAccess(granter: number, ref: number): boolean {
    const t = this.tables.get(granter);
    if (!t || !Number.isInteger(ref) || ref < 0 || ref >= t.nrEntries) return false;
    if ((t.flags(ref) & (GTF.reading | GTF.writing)) !== 0) return false;
    t.writeEntry(ref, { flags: 0, domid: 0, frame: 0 });
    return true;
  }

  /** The lowest ref from 8 up whose entry is invalid (unused), or -1: where a PV kernel grants next. */
  freeRef(granter: number): number {
    const t = this.tables.get(granter);
    if (!t) return -1;
    for (let ref = GNTTAB_NR_RESERVED_ENTRIES; ref < t.nrEntries; ref++) {
      if ((t.flags(ref) & GTF.type_mask) === GTF.invalid && !t.active.has(ref) && !t.guestRefs.has(ref)) return ref;
    }
    return -1;
  }

  /**
   * Hands guest code a ref of its own table to fill itself (the PV kernel and the guest share the
   * table, as Linux drivers get refs from the kernel's allocator); the kernel's grants never take it.
   */
  allocGuestRef(granter: number): number {
    const ref = this.freeRef(granter);
    if (ref >= 0) this.tables.get(granter)!.guestRefs.add(ref);
    return ref;
  }

  /** The granter's frame behind a live mapping, for host code of the mapper. */
  mappedFrame(mapper: number, handle: number): MappedFrame | undefined {
    const e = this.maptracks.get(mapper)?.get(handle);
    const act = e?.table.active.get(e.ref);
    return e && act ? { memory: e.table.memory!, addr: act.gpa, writable: !e.readonly } : undefined;
  }

  // ---- lifecycle ----

  /**
   * A domain died. As a mapper its mappings are released (pins drop, the granters' flags clear); as a
   * granter its table goes, but frames still mapped elsewhere stay usable until unmapped (a zombie).
   */
  domainDied(domid: number): void {
    const mt = this.maptracks.get(domid);
    const d = this.directory.domain(domid);
    if (mt) for (const [handle, e] of mt.live()) releaseMapping(d, mt, handle, e);
    this.maptracks.delete(domid);
    const t = this.tables.get(domid);
    this.tables.delete(domid);
    if (t) {
      t.dead = true;
      this.zombies.add(t);
    }
    this.reapZombies();
  }

  private reapZombies(): void {
    for (const z of this.zombies) if (z.active.size === 0) this.zombies.delete(z);
  }

  /** Xen's 'g' debug key: per domain its table size, pinned entries and mappings. */
  dump(): GrantDebugDomain[] {
    return grantDump([...this.tables.values(), ...this.zombies], this.maptracks);
  }

  /** One domain's table and its own mappings as saved, or null for what it does not have (nothing is made). */
  saveDomain(domid: number): { table: ReturnType<typeof saveTable> | null; maptrack: ReturnType<typeof saveMaptrack> | null } {
    const table = this.tables.get(domid);
    const mt = this.maptracks.get(domid);
    return { table: table ? saveTable(table) : null, maptrack: mt ? saveMaptrack(mt, [...this.zombies]) : null };
  }

  /**
   * Grant tables of domains back from one suspend file into a model where every other domain is
   * gone (a resume after a manager restart): each table at its saved frames (the entries are in the
   * restored RAM), and the mappings between them, with their handles, pins and flags, placed again
   * in the mappers' windows. An entry mapped by a domain that did not come back is unpinned and its
   * flags cleared, as when a mapper dies. Throws,
   * having installed nothing, when the saved state does not fit; after installing, a mapping that
   * cannot be placed throws too (the caller takes the domains down).
   */
  restoreTogether(saved: readonly SavedDomainGrants[]): void {
    for (const { domid } of saved) if (this.tables.has(domid)) throw new Error(`grant table of domain ${domid} already exists`);
    const r = restoreDomainGrants(saved, this.directory);
    for (const t of r.tables) this.tables.set(t.domid, t);
    for (const mt of r.maptracks) this.maptracks.set(mt.domid, mt);
    r.placeMappings();
  }

  save(): GrantTablesState {
    return saveGrantTables([...this.tables.values()], [...this.zombies], [...this.maptracks.values()]);
  }

  /** Replaces everything with a saved state; mappings are placed again in the mappers' windows. */
  restore(state: GrantTablesState): void {
    const r = restoreGrantTables(state, this.directory);
    for (const [domid, mt] of this.maptracks) {
      const d = this.directory.domain(domid);
      for (const [, e] of mt.live()) d?.foreignFrames?.unmap(e.hostAddr);
    }
    this.tables.clear();
    this.maptracks.clear();
    this.zombies.clear();
    for (const t of r.tables) this.tables.set(t.domid, t);
    for (const z of r.zombies) this.zombies.add(z);
    for (const mt of r.maptracks) this.maptracks.set(mt.domid, mt);
    r.placeMappings();
  }
}
