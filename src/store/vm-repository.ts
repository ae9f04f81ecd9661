/** VM configuration rows with their tags, and features. */
import { Prisma, type Vm } from './generated/sqlite/index.js';
import type { Db, DbTx } from './database.js';

export type VmRow = Vm;
/** A VM row with its tags, sorted. */
export type VmRecord = Vm & { tags: string[] };
/** The columns that hold settable properties. */
export type VmColumns = Omit<Vm, 'createdAt' | 'updatedAt'>;

/** What a new row needs: its identity; every property column not given is null (default). */
export type VmInsert = Pick<VmRow, 'uuid' | 'qid' | 'name' | 'klass' | 'label'> & Partial<Omit<VmColumns, 'uuid' | 'qid' | 'name' | 'klass' | 'label'>>;

/** Each field's column: the model's @map names (a field added to the model without one here does not compile). */
const COLUMN: Record<keyof VmRow, string> = {
  uuid: 'uuid', qid: 'qid', name: 'name', klass: 'class', label: 'label', templateUuid: 'template_uuid', memory: 'memory',
  maxmem: 'maxmem', vcpus: 'vcpus', kernel: 'kernel', autostart: 'autostart', defaultDispvmUuid: 'default_dispvm_uuid',
  templateForDispvms: 'template_for_dispvms', shutdownTimeout: 'shutdown_timeout', qrexecTimeout: 'qrexec_timeout',
  consoleBuffer: 'console_buffer', maxEventChannels: 'max_event_channels', autosuspendIdleS: 'autosuspend_idle_s',
  onHostStop: 'on_host_stop', cpuAffinity: 'cpu_affinity', powerState: 'power_state', createdAt: 'created_at', updatedAt: 'updated_at',
};
const FIELDS = Object.keys(COLUMN) as (keyof VmRow)[];

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

  /**
   * Inserts a VM and returns its record, built from what was written (it has no tags yet). Raw SQL,
   * portable between SQLite and PostgreSQL: a create is a hot write, and a model query (with the
   * tags it would read back) costs Prisma's query compiler about 2 ms more.
   */
  async create(data: VmInsert): Promise<VmRecord> {
    const now = new Date();
    const row = Object.fromEntries(FIELDS.map((f) => [f, null])) as Record<keyof VmRow, unknown>;
    Object.assign(row, { powerState: 'halted' }, data, { createdAt: now, updatedAt: now });
    const columns = Prisma.join(FIELDS.map((f) => Prisma.raw(`"${COLUMN[f]}"`)));
    const values = Prisma.join(FIELDS.map((f) => row[f]));
    await this.db.$executeRaw(Prisma.sql`INSERT INTO "vm" (${columns}) VALUES (${values})`);
    return { ...(row as VmRow), tags: [] };
  }

  /** Changes columns of `current` and returns its record as updated (raw SQL, as create). */
  async update(current: VmRecord, data: Partial<VmColumns>): Promise<VmRecord> {
    const updatedAt = new Date();
    const changes = { ...data, updatedAt } as Partial<VmRow>;
    const fields = FIELDS.filter((f) => f in changes && f !== 'uuid');
    const set = Prisma.join(fields.map((f) => Prisma.sql`${Prisma.raw(`"${COLUMN[f]}"`)} = ${changes[f] ?? null}`));
    const count = await this.db.$executeRaw(Prisma.sql`UPDATE "vm" SET ${set} WHERE "uuid" = ${current.uuid}`);
    if (count !== 1) throw new Error(`VM ${current.uuid} is not in the store`);
    return { ...current, ...changes };
  }

  /** Sets the power state alone (raw SQL: lifecycle changes are frequent); returns the record updated. */
  async setPowerState(vm: VmRecord, powerState: string): Promise<VmRecord> {
    const updatedAt = new Date();
    await this.db.$executeRaw(Prisma.sql`UPDATE "vm" SET "power_state" = ${powerState}, "updated_at" = ${updatedAt} WHERE "uuid" = ${vm.uuid}`);
    return { ...vm, powerState, updatedAt };
  }

  /** Removes a VM (its tags and features go with it: ON DELETE CASCADE). Raw SQL, as create. */
  async delete(uuid: string): Promise<void> {
    const count = await this.db.$executeRaw(Prisma.sql`DELETE FROM "vm" WHERE "uuid" = ${uuid}`);
    if (count !== 1) throw new Error(`VM ${uuid} is not in the store`);
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
