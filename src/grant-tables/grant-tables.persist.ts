/** Plain-data (JSON) state of all grant tables and mappings, with a schema that verifies it before a restore. */
import { z } from 'zod';
import { GuestMemory } from '../vcpu/guest-memory.js';
import { FRAME_SIZE } from '../vcpu/memory-layout.js';
import type { GrantDomainDirectory } from './grant-domain.js';
import { DEFAULT_MAX_GRANT_FRAMES, DEFAULT_MAX_MAPTRACK_FRAMES, GNTPIN, GTF, MAPTRACK_PER_FRAME } from './grant-flags.js';
import { Maptrack } from './grant-maptrack.js';
import { GrantTable } from './grant-table.js';

const u16 = z.number().int().min(0).max(0xffff);
const u32 = z.number().int().min(0).max(0xffff_ffff);

const activeSchema = z.object({ ref: u32, mapper: u16, pin: u32, gpa: u32 });
const tableSchema = z.object({ domid: u16, maxFrames: z.number().int().min(0), frames: z.array(u32), active: z.array(activeSchema) });
/** A dead granter's table: its table frames and the frames still mapped (the mappers keep using them). */
const zombieSchema = tableSchema.extend({
  ramSize: z.number().int().positive(),
  pages: z.array(z.object({ gpa: u32, data: z.string() })),
});
const mappingSchema = z.object({
  handle: u32, granter: u16, zombie: z.number().int().min(0).nullable(), ref: u32, readonly: z.boolean(), hostAddr: u32,
});
const maptrackSchema = z.object({ domid: u16, maxHandles: z.number().int().min(0), mappings: z.array(mappingSchema) });

export const grantTablesStateSchema = z.object({
  tables: z.array(tableSchema),
  zombies: z.array(zombieSchema),
  maptracks: z.array(maptrackSchema),
});
export type GrantTablesState = z.infer<typeof grantTablesStateSchema>;
type TableState = z.infer<typeof tableSchema>;

export const saveTable = (t: GrantTable): TableState => ({
  domid: t.domid,
  maxFrames: t.maxFrames,
  frames: [...t.frames],
  active: [...t.active].sort((a, b) => a[0] - b[0]).map(([ref, a]) => ({ ref, mapper: a.mapper, pin: a.pin >>> 0, gpa: a.gpa })),
});

export function saveGrantTables(tables: readonly GrantTable[], zombies: readonly GrantTable[], maptracks: readonly Maptrack[]): GrantTablesState {
  return {
    tables: [...tables].sort((a, b) => a.domid - b.domid).map(saveTable),
    zombies: zombies.map((z) => ({
      ...saveTable(z),
      ramSize: z.memory!.size,
      pages: [...new Set([...z.frames, ...[...z.active.values()].map((a) => a.gpa)])].sort((a, b) => a - b).map((gpa) => ({
        gpa, data: Buffer.from(z.memory!.read(gpa, FRAME_SIZE) as Uint8Array).toString('base64'),
      })),
    })),
    maptracks: [...maptracks].sort((a, b) => a.domid - b.domid).map((mt) => saveMaptrack(mt, zombies)),
  };
}

/** One mapper's mappings; a mapping of a dead granter's table names it by its place in `zombies`. */
export function saveMaptrack(mt: Maptrack, zombies: readonly GrantTable[]): z.infer<typeof maptrackSchema> {
  return {
    domid: mt.domid,
    maxHandles: mt.maxHandles,
    mappings: mt.live().map(([handle, e]) => ({
      handle, granter: e.table.domid, zombie: e.table.dead ? zombies.indexOf(e.table) : null,
      ref: e.ref, readonly: e.readonly, hostAddr: e.hostAddr,
    })),
  };
}

export interface RestoredGrantTables {
  tables: GrantTable[];
  zombies: GrantTable[];
  maptracks: Maptrack[];
  /** Places every mapping in its mapper's window (after the model has taken the restored objects). */
  placeMappings(): void;
}

function fillTable(t: GrantTable, s: TableState): GrantTable {
  for (const gpa of s.frames) if (!t.isRamFrame(gpa)) throw new Error(`grant table of d${s.domid}: frame 0x${gpa.toString(16)} not in RAM`);
  t.frames = [...s.frames];
  for (const a of s.active) {
    if (!t.isRamFrame(a.gpa)) throw new Error(`grant table of d${s.domid}: ref ${a.ref} maps 0x${a.gpa.toString(16)}, not RAM`);
    t.active.set(a.ref, { mapper: a.mapper, pin: a.pin, gpa: a.gpa });
  }
  return t;
}

/** One domain's grant table and own mappings as a suspend file holds them. */
export interface SavedDomainGrants {
  readonly domid: number;
  readonly table: TableState | null;
  readonly maptrack: z.infer<typeof maptrackSchema> | null;
}

/**
 * Tables and maptracks of domains back from one file into a model where every other domain is gone
 * (GrantTables.restoreTogether): each table at its saved frames, the mappings between them, and each
 * entry's pin cut down to those (an entry left with none is unpinned and its flags cleared in the
 * granter's RAM). Built and checked, not installed; throws when they do not fit.
 */
export function restoreDomainGrants(saved: readonly SavedDomainGrants[], directory: GrantDomainDirectory): RestoredGrantTables {
  const tables = new Map(saved.map((d) => [d.domid, tableAt(d, directory)] as const));
  if (tables.size !== saved.length) throw new Error('grant tables: a domain is given twice');
  const { maptracks, pins } = keptMappings(saved, tables);
  for (const { domid, table } of saved) cutPins(tables.get(domid)!, table?.active ?? [], pins);
  return { tables: [...tables.values()], zombies: [], maptracks, placeMappings: () => placeMappings(maptracks, directory) };
}

/** A saved domain's table at its frames (the entries are in its restored RAM). */
function tableAt({ domid, table: st }: SavedDomainGrants, directory: GrantDomainDirectory): GrantTable {
  const d = directory.domain(domid);
  if (!d) throw new Error(`grant table of domain ${domid}: no such domain`);
  const t = new GrantTable(domid, d.memory, st?.maxFrames ?? DEFAULT_MAX_GRANT_FRAMES);
  if (!st) return t;
  if (st.frames.length > st.maxFrames || !st.frames.every((gpa) => t.isRamFrame(gpa)) || new Set(st.frames).size !== st.frames.length) {
    throw new Error(`grant table of domain ${domid}: its frames are not distinct frames of its RAM`);
  }
  t.setFrames(st.frames);
  return t;
}

/** The mappings between the domains that come back, in new maptracks, and the pins they hold per `granter:ref`. */
function keptMappings(saved: readonly SavedDomainGrants[], tables: ReadonlyMap<number, GrantTable>): { maptracks: Maptrack[]; pins: Map<string, number> } {
  const pins = new Map<string, number>();
  const maptracks = saved.map(({ domid, maptrack: ms }) => {
    const mt = new Maptrack(domid, ms?.maxHandles ?? DEFAULT_MAX_MAPTRACK_FRAMES * MAPTRACK_PER_FRAME);
    for (const m of ms?.mappings ?? []) {
      const table = m.zombie === null ? tables.get(m.granter) : undefined;
      if (!table) continue;
      const active = saved.find((x) => x.domid === m.granter)?.table?.active.find((a) => a.ref === m.ref);
      if (!active || active.mapper !== domid || mt.get(m.handle) || m.handle >= mt.maxHandles) {
        throw new Error(`maptrack of d${domid}: handle ${m.handle} does not match a pinned grant of d${m.granter}`);
      }
      mt.set(m.handle, { table, ref: m.ref, readonly: m.readonly, hostAddr: m.hostAddr });
      const key = `${m.granter}:${m.ref}`;
      pins.set(key, (pins.get(key) ?? 0) + (m.readonly ? GNTPIN.hstr_inc : GNTPIN.hstw_inc));
    }
    return mt;
  });
  return { maptracks, pins };
}

/** Each saved pinned entry keeps the pins of the mappings that came back; without writers it loses GTF_writing, without any GTF_reading too. */
function cutPins(t: GrantTable, active: TableState['active'], pins: ReadonlyMap<string, number>): void {
  for (const a of active) {
    if (a.ref >= t.nrEntries || !t.isRamFrame(a.gpa)) throw new Error(`grant table of d${t.domid}: ref ${a.ref} is not a mapped entry of its RAM`);
    const pin = pins.get(`${t.domid}:${a.ref}`) ?? 0;
    if (pin > a.pin) throw new Error(`grant table of d${t.domid}: pin of ref ${a.ref} does not match its mappings`);
    if ((pin & GNTPIN.hstw_mask) === 0) t.clearFlagBits(a.ref, GTF.writing);
    if (pin === 0) t.clearFlagBits(a.ref, GTF.reading);
    else t.active.set(a.ref, { mapper: a.mapper, pin, gpa: a.gpa });
  }
}

/** Places every mapping of `maptracks` in its mapper's window (after the model has taken the restored objects). */
function placeMappings(maptracks: readonly Maptrack[], directory: GrantDomainDirectory): void {
  for (const mt of maptracks) {
    const window = directory.domain(mt.domid)?.foreignFrames;
    for (const [, e] of mt.live()) {
      const err = window?.map(e.hostAddr, e.table.memory!, e.table.active.get(e.ref)!.gpa, !e.readonly);
      if (err) throw new Error(`d${mt.domid}: cannot map at 0x${e.hostAddr.toString(16)}: ${err.message}`);
    }
  }
}

/** Verifies and rebuilds tables, zombies and maptracks; throws (touching nothing) when inconsistent. */
export function restoreGrantTables(state: GrantTablesState, directory: GrantDomainDirectory): RestoredGrantTables {
  const s = grantTablesStateSchema.parse(state);
  const tables = s.tables.map((ts) => {
    const d = directory.domain(ts.domid);
    if (!d) throw new Error(`grant table of d${ts.domid}: no such domain`);
    return fillTable(new GrantTable(ts.domid, d.memory, ts.maxFrames), ts);
  });
  const zombies = s.zombies.map((zs) => {
    const memory = new GuestMemory(zs.ramSize);
    for (const p of zs.pages) memory.write(p.gpa, new Uint8Array(Buffer.from(p.data, 'base64')));
    const z = fillTable(new GrantTable(zs.domid, memory, zs.maxFrames), zs);
    z.dead = true;
    return z;
  });
  const byDomid = new Map(tables.map((t) => [t.domid, t]));
  const maptracks = s.maptracks.map((ms) => {
    if (!directory.domain(ms.domid)) throw new Error(`maptrack of d${ms.domid}: no such domain`);
    const mt = new Maptrack(ms.domid, ms.maxHandles);
    for (const m of ms.mappings) {
      const table = m.zombie === null ? byDomid.get(m.granter) : zombies[m.zombie];
      if (!table || table.domid !== m.granter || table.active.get(m.ref)?.mapper !== ms.domid || mt.get(m.handle) || m.handle >= ms.maxHandles) {
        throw new Error(`maptrack of d${ms.domid}: handle ${m.handle} does not match a pinned grant`);
      }
      mt.set(m.handle, { table, ref: m.ref, readonly: m.readonly, hostAddr: m.hostAddr });
    }
    return mt;
  });
  checkPins([...tables, ...zombies], maptracks);
  return {
    tables, zombies, maptracks,
    placeMappings: () => placeMappings(maptracks, directory),
  };
}

/** Each pinned entry's counters must equal the mappings that hold it. */
function checkPins(tables: readonly GrantTable[], maptracks: readonly Maptrack[]): void {
  const counted = new Map<GrantTable, Map<number, number>>();
  for (const mt of maptracks) {
    for (const [, e] of mt.live()) {
      const m = counted.get(e.table) ?? new Map<number, number>();
      m.set(e.ref, (m.get(e.ref) ?? 0) + (e.readonly ? GNTPIN.hstr_inc : GNTPIN.hstw_inc));
      counted.set(e.table, m);
    }
  }
  for (const t of tables) {
    for (const [ref, a] of t.active) {
      if ((counted.get(t)?.get(ref) ?? 0) !== a.pin) throw new Error(`grant table of d${t.domid}: pin of ref ${ref} does not match its mappings`);
    }
  }
}
