/** The index of suspend files: which VMs each holds, its size, checksum and versions. */
import type { Db, DbTx } from './database.js';

export interface SnapshotVm {
  uuid: string;
  name: string;
  domid: number;
  memory_mib: number;
}

export interface SnapshotRow {
  id: string;
  file: string;
  vms: SnapshotVm[];
  bytes: number;
  sha256: string;
  formatVersion: number;
  cellaVersion: string;
  /** Why it was written: request, idle (autosuspend_idle_s) or host-stop (on_host_stop: resumed when the manager starts again). */
  reason: SnapshotReason;
  createdAt: Date;
}

export type SnapshotReason = 'request' | 'idle' | 'host-stop';

type Raw = Omit<SnapshotRow, 'vms' | 'bytes' | 'reason'> & { vms: string; bytes: bigint; reason: string };

const fromRaw = (r: Raw): SnapshotRow => ({ ...r, vms: JSON.parse(r.vms) as SnapshotVm[], bytes: Number(r.bytes), reason: r.reason as SnapshotReason });

export class SnapshotRepository {
  constructor(private readonly db: Db | DbTx) {}

  async all(): Promise<SnapshotRow[]> {
    return (await this.db.snapshot.findMany({ orderBy: [{ createdAt: 'desc' }, { id: 'asc' }] })).map(fromRaw);
  }

  async byId(id: string): Promise<SnapshotRow | null> {
    const r = await this.db.snapshot.findUnique({ where: { id } });
    return r ? fromRaw(r) : null;
  }

  async byFile(file: string): Promise<SnapshotRow | null> {
    const r = await this.db.snapshot.findUnique({ where: { file } });
    return r ? fromRaw(r) : null;
  }

  async create(row: Omit<SnapshotRow, 'createdAt'>): Promise<SnapshotRow> {
    return fromRaw(await this.db.snapshot.create({ data: { ...row, vms: JSON.stringify(row.vms), bytes: BigInt(row.bytes) } }));
  }

  async delete(id: string): Promise<boolean> {
    const { count } = await this.db.snapshot.deleteMany({ where: { id } });
    return count > 0;
  }
}
