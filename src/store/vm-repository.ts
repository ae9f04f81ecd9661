/** VM configuration rows with their tags, and features. */
import { Prisma, type Vm } from './generated/sqlite/index.js';
import type { Db, DbTx } from './database.js';

export type VmRow = Vm;
/** A VM row with its tags, sorted. */
export type VmRecord = Vm & { tags: string[] };
/** The columns that hold settable properties. */
export type VmColumns = Omit<Vm, 'createdAt' | 'updatedAt'>;

/** The highest qid; Xen's first reserved domid is 0x7FF0, so ids stay below it. */
export const MAX_QID = 0x7fef;

const WITH_TAGS = { tags: { orderBy: { tag: 'asc' } } } satisfies Prisma.VmInclude;

function record(row: Prisma.VmGetPayload<{ include: typeof WITH_TAGS }>): VmRecord {
  const { tags, ...vm } = row;
  return { ...vm, tags: tags.map((t) => t.tag) };
}

export class VmRepository {
  constructor(private readonly db: Db | DbTx) {}

  async all(): Promise<VmRecord[]> {
    return (await this.db.vm.findMany({ include: WITH_TAGS, orderBy: { name: 'asc' } })).map(record);
  }

  async byUuids(uuids: string[]): Promise<VmRecord[]> {
    return (await this.db.vm.findMany({ where: { uuid: { in: uuids } }, include: WITH_TAGS })).map(record);
  }

  async create(data: Prisma.VmUncheckedCreateInput): Promise<VmRecord> {
    return record(await this.db.vm.create({ data, include: WITH_TAGS }));
  }

  async update(uuid: string, data: Prisma.VmUncheckedUpdateInput): Promise<VmRecord> {
    return record(await this.db.vm.update({ where: { uuid }, data, include: WITH_TAGS }));
  }

  /** Sets the power state alone (raw SQL: lifecycle changes are frequent); returns the record updated. */
  async setPowerState(vm: VmRecord, powerState: string): Promise<VmRecord> {
    const updatedAt = new Date();
    await this.db.$executeRaw(Prisma.sql`UPDATE "vm" SET "power_state" = ${powerState}, "updated_at" = ${updatedAt} WHERE "uuid" = ${vm.uuid}`);
    return { ...vm, powerState, updatedAt };
  }

  async delete(uuid: string): Promise<void> {
    await this.db.vm.delete({ where: { uuid } });
  }

  /** The lowest unused qid above 0 (as qubesd allocates), or null when all are taken. */
  async lowestFreeQid(): Promise<number | null> {
    const rows = await this.db.vm.findMany({ select: { qid: true }, orderBy: { qid: 'asc' } });
    let next = 1;
    for (const { qid } of rows) {
      if (qid < next) continue;
      if (qid > next) break;
      next++;
    }
    return next <= MAX_QID ? next : null;
  }

  async addTag(vmUuid: string, tag: string): Promise<boolean> {
    const existing = await this.db.vmTag.findUnique({ where: { vmUuid_tag: { vmUuid, tag } } });
    if (existing) return false;
    await this.db.vmTag.create({ data: { vmUuid, tag } });
    return true;
  }

  async removeTag(vmUuid: string, tag: string): Promise<boolean> {
    const { count } = await this.db.vmTag.deleteMany({ where: { vmUuid, tag } });
    return count > 0;
  }

  async features(vmUuid: string): Promise<Record<string, string>> {
    const rows = await this.db.vmFeature.findMany({ where: { vmUuid }, orderBy: { name: 'asc' } });
    return Object.fromEntries(rows.map((r) => [r.name, r.value]));
  }

  async feature(vmUuid: string, name: string): Promise<string | null> {
    const row = await this.db.vmFeature.findUnique({ where: { vmUuid_name: { vmUuid, name } } });
    return row?.value ?? null;
  }

  async setFeature(vmUuid: string, name: string, value: string): Promise<void> {
    await this.db.vmFeature.upsert({
      where: { vmUuid_name: { vmUuid, name } },
      create: { vmUuid, name, value },
      update: { value },
    });
  }

  async deleteFeature(vmUuid: string, name: string): Promise<boolean> {
    const { count } = await this.db.vmFeature.deleteMany({ where: { vmUuid, name } });
    return count > 0;
  }
}
