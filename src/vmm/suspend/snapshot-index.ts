/**
 * The snapshot index and the snapshot directory kept in step (suspend.md, "Which files stay"): the
 * rows, the files nobody indexed (orphans: a crash between the rename and the index, or a file
 * brought from another host), the `.part` files a crash left, and the rule of what stays. A file the
 * user named stays until it is removed; any other goes once no VM is suspended into it; prune
 * removes every file nobody is suspended into.
 */
import { readdir, rm, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { SnapshotRow } from '../../store/snapshot-repository.js';
import type { ConfigTransactions } from '../config/config-transaction.js';
import type { VmCache } from '../config/vm-cache.js';
import { fail } from '../errors.js';
import type { Lifecycle } from '../lifecycle/lifecycle.js';

/** A snapshot file name the user may give: no directories, no dot first, ending in .cella. */
export const SNAPSHOT_FILE_PATTERN = /^[A-Za-z0-9][A-Za-z0-9._-]{0,120}\.cella$/;

/** A file in the snapshot directory that no index row names: it cannot be resumed, only removed. */
export interface OrphanFile {
  readonly file: string;
  readonly bytes: number;
  readonly modifiedAt: Date;
}

/** What a start found in the snapshot directory: unfinished writes (removed) and orphans (kept, listed). */
export interface Leftovers {
  readonly removedParts: readonly string[];
  readonly orphans: readonly OrphanFile[];
}

export interface PruneResult {
  /** Snapshots removed with their files. */
  readonly snapshots: readonly string[];
  /** Orphan files removed (with `orphans`). */
  readonly orphans: readonly string[];
}

export class SnapshotIndex {
  constructor(
    private readonly lifecycle: Lifecycle,
    private readonly cache: VmCache,
    private readonly tx: ConfigTransactions,
    readonly dir: string,
    /** Files a suspend writes now: neither orphans nor removable. */
    private readonly writing: ReadonlySet<string>,
  ) {}

  /** The VMs suspended into `row` now, by name. */
  suspendedInto(row: SnapshotRow): string[] {
    return row.vms.filter((v) => this.lifecycle.snapshotOf(v.uuid) === row.id && this.cache.byUuid(v.uuid)).map((v) => v.name);
  }

  async list(): Promise<SnapshotRow[]> {
    return this.tx.run(async ({ repos }) => repos.snapshots.all());
  }

  async get(id: string): Promise<SnapshotRow> {
    return (await this.tx.run(async ({ repos }) => repos.snapshots.byId(id))) ?? fail('SNAPSHOT_NOT_FOUND', `no such snapshot: '${id}'`);
  }

  /** `.cella` files of the snapshot directory that no row names (and no suspend is writing), by name. */
  async orphans(): Promise<OrphanFile[]> {
    const indexed = new Set((await this.list()).map((r) => r.file));
    const out: OrphanFile[] = [];
    for (const file of await this.files()) {
      if (!SNAPSHOT_FILE_PATTERN.test(file) || indexed.has(file) || this.writing.has(file)) continue;
      const st = await stat(join(this.dir, file)).catch(() => null);
      if (st?.isFile()) out.push({ file, bytes: st.size, modifiedAt: st.mtime });
    }
    return out;
  }

  /**
   * At start, before anything writes: the `.part` files a crash left are removed (no reader takes
   * them, and a write to the same name would remove them anyway), and the orphans are listed.
   */
  async sweep(): Promise<Leftovers> {
    const removedParts: string[] = [];
    for (const file of await this.files()) {
      if (!file.endsWith('.part')) continue;
      await rm(join(this.dir, file), { force: true });
      removedParts.push(file);
    }
    return { removedParts, orphans: await this.orphans() };
  }

  /** Removes a snapshot and its file (refused while a VM is suspended into it), or an orphan file by its name. */
  async remove(id: string): Promise<void> {
    const row = await this.tx.run(async ({ repos }) => repos.snapshots.byId(id));
    if (!row) return this.removeOrphan(id);
    if (this.writing.has(row.file)) fail('INVALID_STATE', `snapshot file ${row.file} is being written; try again when the suspend is done`, { state: 'suspending' });
    const holders = this.suspendedInto(row);
    if (holders.length > 0) fail('INVALID_STATE', `${holders.join(', ')} ${holders.length > 1 ? 'are' : 'is'} suspended into snapshot ${id}; resume or kill first`, { state: 'suspended' });
    await this.drop(row);
  }

  /** Every snapshot no VM is suspended into goes, with its file; with `orphans`, the orphan files too. */
  async prune(options: { orphans?: boolean } = {}): Promise<PruneResult> {
    const snapshots: string[] = [];
    for (const row of await this.list()) {
      if (this.writing.has(row.file) || this.suspendedInto(row).length > 0) continue;
      await this.drop(row);
      snapshots.push(row.id);
    }
    const orphans: string[] = [];
    if (options.orphans) {
      for (const o of await this.orphans()) {
        await this.removeOrphan(o.file);
        orphans.push(o.file);
      }
    }
    return { snapshots, orphans };
  }

  /**
   * After a resume: a snapshot whose file the user did not name (the default `<id>.cella`, an idle
   * or host-stop suspend) goes once no VM is suspended into it, since nobody can resume from it.
   */
  async resumedFrom(id: string): Promise<boolean> {
    const row = await this.tx.run(async ({ repos }) => repos.snapshots.byId(id));
    if (!row || row.file !== defaultFile(row.id) || this.suspendedInto(row).length > 0 || this.writing.has(row.file)) return false;
    // the resume is done whatever happens here: a file that cannot be removed stays in the index, for prune
    return this.drop(row).then(() => true, () => false);
  }

  private async drop(row: SnapshotRow): Promise<void> {
    await rm(join(this.dir, row.file), { force: true });
    await this.tx.run(async ({ repos, emit }) => {
      await repos.snapshots.delete(row.id);
      emit('snapshot-delete', null, { snapshot: row.id, file: row.file });
    });
  }

  private async removeOrphan(file: string): Promise<void> {
    const orphan = SNAPSHOT_FILE_PATTERN.test(file) ? (await this.orphans()).find((o) => o.file === file) : undefined;
    if (!orphan) fail('SNAPSHOT_NOT_FOUND', `no such snapshot: '${file}'`);
    await rm(join(this.dir, file), { force: true });
    await this.tx.run(async ({ emit }) => emit('snapshot-delete', null, { snapshot: null, file }));
  }

  private async files(): Promise<string[]> {
    try {
      return (await readdir(this.dir)).sort();
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code === 'ENOENT') return [];
      throw err;
    }
  }
}

/** The file a suspend writes when the user names none. */
export function defaultFile(id: string): string {
  return `${id}.cella`;
}
