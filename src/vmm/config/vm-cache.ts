/**
 * The manager's copy of the VM configuration, so that reads cost no query joins. The database
 * stays authoritative: on a shared database (PostgreSQL) the copy compares its event cursor with
 * the database's last event id before each use and reloads when another host wrote. An SQLite
 * store has one writer, this manager (the data directory is locked), so its copy is trusted.
 */
import type { Store } from '../../store/store.js';
import { MAX_QID, type VmRecord } from '../../store/vm-repository.js';

export interface VmLookup {
  byUuid(uuid: string): VmRecord | undefined;
  byName(name: string): VmRecord | undefined;
}

/** The VMs as a write sees them: the cache, or the cache with the changes of earlier writes of its group (VmOverlay). */
export interface VmSet extends VmLookup {
  /** Every VM, by name. */
  all(): readonly VmRecord[];
  /** How many VMs there are (dom0 included). */
  readonly size: number;
  /** The lowest unused qid above 0 (as qubesd allocates), or null when all are taken; the store's unique index has the last word. */
  lowestFreeQid(): number | null;
  hasQid(qid: number): boolean;
}

export class VmCache implements VmSet {
  private readonly rows = new Map<string, VmRecord>();
  private readonly names = new Map<string, string>();
  private sorted: VmRecord[] | null = null;
  private readonly qids = new Set<number>();
  /** Every qid in [1, qidHint) is taken. */
  private qidHint = 1;
  /** The last event id the copy reflects; -1 when it must reload. */
  private cursor = -1;
  /** Bumped on every change of the copy, so derived views (the policy's system snapshot) know to rebuild. */
  version = 0;

  constructor(
    private readonly store: Store,
    private readonly shared = store.database.kind === 'postgresql',
  ) {}

  /** Brings the copy up to date with the database, reloading only when it changed behind our back. */
  async fresh(): Promise<this> {
    if (!this.shared && this.cursor >= 0) return this;
    const last = await this.store.events.lastId();
    if (last !== this.cursor) await this.reload(last);
    return this;
  }

  /**
   * After a commit of ours: takes in the VMs it touched (a record replaces the row, null removes
   * it); if other writers' events interleaved, the copy reloads on the next fresh().
   */
  afterCommit(eventIds: readonly number[], touched: ReadonlyMap<string, VmRecord | null>): void {
    if (this.cursor < 0 || !eventIds.every((id, i) => id === this.cursor + 1 + i)) {
      this.cursor = -1;
      return;
    }
    for (const uuid of touched.keys()) this.drop(uuid);
    for (const vm of touched.values()) if (vm) this.put(vm);
    if (eventIds.length > 0) this.cursor = eventIds[eventIds.length - 1];
  }

  /** Makes the next fresh() reload everything. */
  invalidate(): void {
    this.cursor = -1;
  }

  /** The id of the last event the copy reflects (after fresh(): the store's last event); -1 while it is stale. */
  get lastEventId(): number {
    return this.cursor;
  }

  get size(): number {
    return this.rows.size;
  }

  hasQid(qid: number): boolean {
    return this.qids.has(qid);
  }

  lowestFreeQid(): number | null {
    while (this.qids.has(this.qidHint)) this.qidHint++;
    return this.qidHint <= MAX_QID ? this.qidHint : null;
  }

  byUuid(uuid: string): VmRecord | undefined {
    return this.rows.get(uuid);
  }

  byName(name: string): VmRecord | undefined {
    const uuid = this.names.get(name);
    return uuid === undefined ? undefined : this.rows.get(uuid);
  }

  /** Every VM, by name. The array is not changed afterwards: a change makes a new one. */
  all(): readonly VmRecord[] {
    this.sorted ??= [...this.rows.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return this.sorted;
  }

  private async reload(last: number): Promise<void> {
    const vms = await this.store.vms.all();
    this.rows.clear();
    this.names.clear();
    this.qids.clear();
    this.qidHint = 1;
    this.sorted = null;
    for (const vm of vms) this.put(vm);
    this.cursor = last;
  }

  private put(vm: VmRecord): void {
    const old = this.rows.get(vm.uuid);
    if (old && old.name !== vm.name) this.drop(vm.uuid);
    if (this.sorted) this.sorted = placed(this.sorted, vm, old?.name === vm.name);
    this.rows.set(vm.uuid, vm);
    this.names.set(vm.name, vm.uuid);
    this.qids.add(vm.qid);
    this.version++;
  }

  private drop(uuid: string): void {
    const old = this.rows.get(uuid);
    if (!old) return;
    this.names.delete(old.name);
    this.qids.delete(old.qid);
    this.qidHint = Math.max(1, Math.min(this.qidHint, old.qid));
    if (this.sorted) {
      const at = indexOf(this.sorted, old.name);
      this.sorted = [...this.sorted.slice(0, at), ...this.sorted.slice(at + 1)];
    }
    this.rows.delete(uuid);
    this.version++;
  }
}

/** Where `name` is, or would go, in `sorted` (by name). */
function indexOf(sorted: readonly VmRecord[], name: string): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (sorted[mid].name < name) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/** A copy of `sorted` with `vm` in its place: replacing the entry of its name, or inserted. */
function placed(sorted: readonly VmRecord[], vm: VmRecord, replace: boolean): VmRecord[] {
  const at = indexOf(sorted, vm.name);
  return [...sorted.slice(0, at), vm, ...sorted.slice(replace ? at + 1 : at)];
}
