/**
 * The manager's copy of the VM configuration, so that reads cost no query joins. The database
 * stays authoritative: on a shared database (PostgreSQL) the copy compares its event cursor with
 * the database's last event id before each use and reloads when another host wrote. An SQLite
 * store has one writer, this manager (the data directory is locked), so its copy is trusted.
 */
import type { Store } from '../../store/store.js';
import type { VmRecord } from '../../store/vm-repository.js';

export interface VmLookup {
  byUuid(uuid: string): VmRecord | undefined;
  byName(name: string): VmRecord | undefined;
}

export class VmCache implements VmLookup {
  private readonly rows = new Map<string, VmRecord>();
  private readonly names = new Map<string, string>();
  private sorted: VmRecord[] | null = null;
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

  /** After a commit of ours: re-reads the VMs it touched; if other writers' events interleaved, reloads all next time. */
  async afterCommit(eventIds: readonly number[], touched: ReadonlyMap<string, VmRecord | undefined>): Promise<void> {
    if (!eventIds.every((id, i) => id === this.cursor + 1 + i)) {
      this.cursor = -1;
      return;
    }
    const reread = [...touched].filter(([, record]) => record === undefined).map(([uuid]) => uuid);
    const found = reread.length > 0 ? await this.store.vms.byUuids(reread) : [];
    for (const uuid of touched.keys()) this.drop(uuid);
    for (const vm of [...found, ...[...touched.values()].filter((r): r is VmRecord => r !== undefined)]) this.put(vm);
    if (eventIds.length > 0) this.cursor = eventIds[eventIds.length - 1];
  }

  byUuid(uuid: string): VmRecord | undefined {
    return this.rows.get(uuid);
  }

  byName(name: string): VmRecord | undefined {
    const uuid = this.names.get(name);
    return uuid === undefined ? undefined : this.rows.get(uuid);
  }

  /** Every VM, by name. */
  all(): readonly VmRecord[] {
    this.sorted ??= [...this.rows.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    return this.sorted;
  }

  private async reload(last: number): Promise<void> {
    const vms = await this.store.vms.all();
    this.rows.clear();
    this.names.clear();
    for (const vm of vms) this.put(vm);
    this.cursor = last;
  }

  private put(vm: VmRecord): void {
    this.rows.set(vm.uuid, vm);
    this.names.set(vm.name, vm.uuid);
    this.sorted = null;
    this.version++;
  }

  private drop(uuid: string): void {
    const old = this.rows.get(uuid);
    if (old) this.names.delete(old.name);
    this.rows.delete(uuid);
    this.sorted = null;
    this.version++;
  }
}
