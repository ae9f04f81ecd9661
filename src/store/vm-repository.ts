/** VM configuration rows: VMs with their template chain, tags and features. */
import type { Prisma, Vm } from './generated/sqlite/index.js';
import type { Db, DbTx } from './database.js';

/** A VM row with what its effective properties need: the template chain (DispVM → AppVM → TemplateVM). */
export const VM_INCLUDE = {
  template: { include: { template: true, defaultDispvm: true } },
  defaultDispvm: true,
  tags: { orderBy: { tag: 'asc' } },
} satisfies Prisma.VmInclude;

export type VmRecord = Prisma.VmGetPayload<{ include: typeof VM_INCLUDE }>;
export type VmRow = Vm;
/** The columns that hold settable properties. */
export type VmColumns = Omit<Vm, 'createdAt' | 'updatedAt'>;

export interface VmFilter {
  klass?: string;
  label?: string;
  tag?: string;
  powerState?: string;
}

/** The highest qid; Xen's first reserved domid is 0x7FF0, so ids stay below it. */
export const MAX_QID = 0x7fef;

export class VmRepository {
  constructor(private readonly db: Db | DbTx) {}

  async list(filter: VmFilter, offset: number, limit: number): Promise<{ items: VmRecord[]; total: number }> {
    const where = whereOf(filter);
    const [items, total] = await Promise.all([
      this.db.vm.findMany({ where, include: VM_INCLUDE, orderBy: { name: 'asc' }, skip: offset, take: limit }),
      this.db.vm.count({ where }),
    ]);
    return { items, total };
  }

  findByName(name: string): Promise<VmRecord | null> {
    return this.db.vm.findUnique({ where: { name }, include: VM_INCLUDE });
  }

  findByUuid(uuid: string): Promise<VmRecord | null> {
    return this.db.vm.findUnique({ where: { uuid }, include: VM_INCLUDE });
  }

  create(data: Prisma.VmUncheckedCreateInput): Promise<VmRecord> {
    return this.db.vm.create({ data, include: VM_INCLUDE });
  }

  update(uuid: string, data: Prisma.VmUncheckedUpdateInput): Promise<VmRecord> {
    return this.db.vm.update({ where: { uuid }, data, include: VM_INCLUDE });
  }

  async delete(uuid: string): Promise<void> {
    await this.db.vm.delete({ where: { uuid } });
  }

  /** Names of the VMs that use `uuid` as their template or default_dispvm. */
  async usersOf(uuid: string): Promise<{ template: string[]; defaultDispvm: string[] }> {
    const [template, defaultDispvm] = await Promise.all([
      this.db.vm.findMany({ where: { templateUuid: uuid }, select: { name: true }, orderBy: { name: 'asc' } }),
      this.db.vm.findMany({ where: { defaultDispvmUuid: uuid }, select: { name: true }, orderBy: { name: 'asc' } }),
    ]);
    return { template: template.map((v) => v.name), defaultDispvm: defaultDispvm.map((v) => v.name) };
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

  count(): Promise<number> {
    return this.db.vm.count();
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

function whereOf(filter: VmFilter): Prisma.VmWhereInput {
  const where: Prisma.VmWhereInput = {};
  if (filter.klass !== undefined) where.klass = filter.klass;
  if (filter.label !== undefined) where.label = filter.label;
  if (filter.powerState !== undefined) where.powerState = filter.powerState;
  if (filter.tag !== undefined) where.tags = { some: { tag: filter.tag } };
  return where;
}
