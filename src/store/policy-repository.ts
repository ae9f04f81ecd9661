/** Policy files and their history of versions. */
import type { Db, DbTx } from './database.js';

export interface PolicyFileRow {
  name: string;
  content: string;
  version: number;
  updatedAt: Date;
  updatedBy: string;
}

export interface PolicyVersionRow {
  version: number;
  action: string;
  content: string | null;
  changedAt: Date;
  changedBy: string;
}

export class PolicyRepository {
  constructor(private readonly db: Db | DbTx) {}

  all(): Promise<PolicyFileRow[]> {
    return this.db.policyFile.findMany({ orderBy: { name: 'asc' } });
  }

  get(name: string): Promise<PolicyFileRow | null> {
    return this.db.policyFile.findUnique({ where: { name } });
  }

  /** Writes `content` as the next version of `name` and records the change. */
  async put(name: string, content: string, by: string, now: Date): Promise<PolicyFileRow> {
    const current = await this.get(name);
    const version = (current?.version ?? (await this.lastVersion(name))) + 1;
    const row = await this.db.policyFile.upsert({
      where: { name },
      create: { name, content, version, updatedAt: now, updatedBy: by },
      update: { content, version, updatedAt: now, updatedBy: by },
    });
    await this.db.policyFileVersion.create({
      data: { name, version, action: current ? 'update' : 'create', content, changedAt: now, changedBy: by },
    });
    return row;
  }

  async delete(name: string, by: string, now: Date): Promise<void> {
    const current = await this.get(name);
    if (!current) return;
    await this.db.policyFile.delete({ where: { name } });
    await this.db.policyFileVersion.create({
      data: { name, version: current.version + 1, action: 'delete', content: null, changedAt: now, changedBy: by },
    });
  }

  history(name: string): Promise<PolicyVersionRow[]> {
    return this.db.policyFileVersion.findMany({
      where: { name },
      orderBy: { version: 'asc' },
      select: { version: true, action: true, content: true, changedAt: true, changedBy: true },
    });
  }

  private async lastVersion(name: string): Promise<number> {
    const row = await this.db.policyFileVersion.findFirst({ where: { name }, orderBy: { version: 'desc' }, select: { version: true } });
    return row?.version ?? 0;
  }
}
