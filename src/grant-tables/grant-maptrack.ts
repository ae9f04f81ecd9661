/** A mapping domain's maptrack table (Xen's maptrack): one entry per grant mapping, indexed by its handle. */
import type { GrantTable } from './grant-table.js';

export interface MaptrackEntry {
  /** The granter's table (a dead granter's table stays reachable through its mappings). */
  readonly table: GrantTable;
  readonly ref: number;
  readonly readonly: boolean;
  readonly hostAddr: number;
}

export class Maptrack {
  private readonly entries: (MaptrackEntry | undefined)[] = [];
  private hint = 0;
  private count = 0;
  /** Host addresses in use, with how many live entries use each (placing a mapping checks it per map). */
  private readonly hostAddrs = new Map<number, number>();

  constructor(readonly domid: number, readonly maxHandles: number) {}

  /** The lowest free handle, or -1 when the limit is reached. Nothing is taken yet. */
  freeHandle(): number {
    if (this.count >= this.maxHandles) return -1;
    let h = this.hint;
    while (this.entries[h] !== undefined) h++;
    this.hint = h;
    return h < this.maxHandles ? h : -1;
  }

  get(handle: number): MaptrackEntry | undefined {
    return Number.isInteger(handle) && handle >= 0 ? this.entries[handle] : undefined;
  }

  set(handle: number, entry: MaptrackEntry): void {
    const old = this.entries[handle];
    if (old === undefined) this.count++;
    else this.forget(old.hostAddr);
    this.entries[handle] = entry;
    this.hostAddrs.set(entry.hostAddr, (this.hostAddrs.get(entry.hostAddr) ?? 0) + 1);
  }

  free(handle: number): void {
    const old = this.entries[handle];
    if (old === undefined) return;
    this.entries[handle] = undefined;
    this.forget(old.hostAddr);
    this.count--;
    if (handle < this.hint) this.hint = handle;
  }

  hasHostAddr(addr: number): boolean {
    return this.hostAddrs.has(addr);
  }

  private forget(addr: number): void {
    const n = this.hostAddrs.get(addr)!;
    if (n > 1) this.hostAddrs.set(addr, n - 1);
    else this.hostAddrs.delete(addr);
  }

  /** Live mappings as [handle, entry], lowest handle first. */
  live(): [number, MaptrackEntry][] {
    const out: [number, MaptrackEntry][] = [];
    this.entries.forEach((e, h) => { if (e !== undefined) out.push([h, e]); });
    return out;
  }

  get size(): number {
    return this.count;
  }
}
