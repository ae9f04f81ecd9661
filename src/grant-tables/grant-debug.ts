/** What Xen's 'g' debug key prints: each grant table's size, its pinned (active) entries and each domain's mappings. */
import { GNTPIN } from './grant-flags.js';
import type { Maptrack } from './grant-maptrack.js';
import type { GrantTable } from './grant-table.js';

export interface GrantDebugActive {
  ref: number;
  /** The domain that has the entry pinned. */
  mapper: number;
  /** Xen's packed pin (4 × 8-bit counters) and the host counters separately. */
  pin: number;
  hostWritable: number;
  hostReadonly: number;
  /** The shared entry as it is now in the granter's memory. */
  flags: number;
  domid: number;
  frame: number;
}

export interface GrantDebugMapping { handle: number; granter: number; ref: number; readonly: boolean; hostAddr: number }

export interface GrantDebugDomain {
  domid: number;
  /** The granter is dead; its frames are still mapped somewhere. */
  zombie: boolean;
  nrFrames: number;
  maxFrames: number;
  active: GrantDebugActive[];
  /** Mappings this domain holds (as a mapper). */
  mappings: GrantDebugMapping[];
}

export function grantDump(tables: readonly GrantTable[], maptracks: ReadonlyMap<number, Maptrack>): GrantDebugDomain[] {
  const out: GrantDebugDomain[] = tables.map((t) => ({
    domid: t.domid,
    zombie: t.dead,
    nrFrames: t.frames.length,
    maxFrames: t.maxFrames,
    active: [...t.active].sort((a, b) => a[0] - b[0]).map(([ref, a]) => {
      const e = t.readEntry(ref);
      return {
        ref, mapper: a.mapper, pin: a.pin >>> 0, hostWritable: a.pin & GNTPIN.hstw_mask,
        hostReadonly: (a.pin & GNTPIN.hstr_mask) >>> 8, flags: e.flags, domid: e.domid, frame: e.frame,
      };
    }),
    mappings: [],
  }));
  for (const [domid, mt] of maptracks) {
    let d = out.find((x) => x.domid === domid && !x.zombie);
    if (!d) {
      if (mt.size === 0) continue;
      d = { domid, zombie: false, nrFrames: 0, maxFrames: 0, active: [], mappings: [] };
      out.push(d);
    }
    d.mappings = mt.live().map(([handle, e]) => ({ handle, granter: e.table.domid, ref: e.ref, readonly: e.readonly, hostAddr: e.hostAddr }));
  }
  return out.sort((a, b) => a.domid - b.domid || Number(a.zombie) - Number(b.zombie));
}

const hex = (v: number, w: number): string => `0x${v.toString(16).padStart(w, '0')}`;

/** The dump as text, in the spirit of Xen's console output. */
export function formatGrantDump(domains: readonly GrantDebugDomain[]): string {
  const lines: string[] = [];
  for (const d of domains) {
    lines.push(`grant-table for d${d.domid}${d.zombie ? ' (dying)' : ''} (v1): ${d.nrFrames} frames (${d.maxFrames} max)`);
    if (d.active.length > 0) lines.push('      [ref] mapper pin        flags  domid frame');
    for (const a of d.active) {
      lines.push(`  [${hex(a.ref, 4)}] ${String(a.mapper).padStart(6)} ${hex(a.pin, 8)} ${hex(a.flags, 4)} ${String(a.domid).padStart(5)} ${hex(a.frame, 6)}`);
    }
    for (const m of d.mappings) {
      lines.push(`  handle ${m.handle}: d${m.granter} ref ${m.ref} at ${hex(m.hostAddr, 8)}${m.readonly ? ' ro' : ' rw'}`);
    }
  }
  return lines.join('\n');
}
