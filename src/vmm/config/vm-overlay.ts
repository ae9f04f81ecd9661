/**
 * The VMs as a write in a group commit sees them: the cache, with the changes of the writes before
 * it in the same database transaction laid over it (they are not in the cache until the commit).
 */
import { MAX_QID, type VmRecord } from '../../store/vm-repository.js';
import type { VmSet } from './vm-cache.js';

export class VmOverlay implements VmSet {
  /** Changed rows by uuid: the new record, or null when removed. */
  private readonly changed = new Map<string, VmRecord | null>();
  /** Names whose owner changed: the uuid now holding it, or null when nobody does. */
  private readonly names = new Map<string, string | null>();
  private readonly takenQids = new Set<number>();
  private readonly freedQids = new Set<number>();
  private sorted: VmRecord[] | null = null;
  private count: number;

  constructor(private readonly base: VmSet) {
    this.count = base.size;
  }

  /** Lays a committed-to-be write's changes over the VMs (a record replaces its row, null removes it). */
  apply(touched: ReadonlyMap<string, VmRecord | null>): void {
    for (const [uuid, record] of touched) {
      const old = this.byUuid(uuid);
      if (old) {
        this.names.set(old.name, null);
        this.takenQids.delete(old.qid);
        if (this.base.hasQid(old.qid)) this.freedQids.add(old.qid);
        this.count--;
      }
      this.changed.set(uuid, record);
      if (record) {
        this.names.set(record.name, uuid);
        this.takenQids.add(record.qid);
        this.freedQids.delete(record.qid);
        this.count++;
      }
    }
    if (touched.size > 0) this.sorted = null;
  }

  byUuid(uuid: string): VmRecord | undefined {
    const changed = this.changed.get(uuid);
    if (changed !== undefined) return changed ?? undefined;
    return this.base.byUuid(uuid);
  }

  byName(name: string): VmRecord | undefined {
    const uuid = this.names.get(name);
    if (uuid !== undefined) return uuid === null ? undefined : this.byUuid(uuid);
    const vm = this.base.byName(name);
    return vm && !this.changed.has(vm.uuid) ? vm : undefined;
  }

  all(): readonly VmRecord[] {
    if (this.changed.size === 0) return this.base.all();
    this.sorted ??= [
      ...this.base.all().filter((vm) => !this.changed.has(vm.uuid)),
      ...[...this.changed.values()].filter((vm): vm is VmRecord => vm !== null),
    ].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return this.sorted;
  }

  get size(): number {
    return this.count;
  }

  hasQid(qid: number): boolean {
    return this.takenQids.has(qid) || (this.base.hasQid(qid) && !this.freedQids.has(qid));
  }

  lowestFreeQid(): number | null {
    // every qid below the base's lowest free one is taken there, unless a write here freed it
    let qid = Math.min(this.base.lowestFreeQid() ?? MAX_QID + 1, ...this.freedQids);
    while (qid <= MAX_QID && this.hasQid(qid)) qid++;
    return qid <= MAX_QID ? qid : null;
  }
}
