/** The event history: append-only, read back in id order from a cursor. */
import type { Db, DbTx } from './database.js';

export interface EventRow {
  id: number;
  name: string;
  subject: string | null;
  payload: Record<string, unknown>;
  createdAt: Date;
}

export class EventRepository {
  constructor(private readonly db: Db | DbTx) {}

  async append(name: string, subject: string | null, payload: Record<string, unknown>): Promise<EventRow> {
    const row = await this.db.event.create({ data: { name, subject, payload: JSON.stringify(payload) } });
    return { ...row, payload };
  }

  async since(afterId: number, limit: number): Promise<EventRow[]> {
    const rows = await this.db.event.findMany({ where: { id: { gt: afterId } }, orderBy: { id: 'asc' }, take: limit });
    return rows.map((r) => ({ ...r, payload: JSON.parse(r.payload) as Record<string, unknown> }));
  }

  async lastId(): Promise<number> {
    const row = await this.db.event.findFirst({ orderBy: { id: 'desc' }, select: { id: true } });
    return row?.id ?? 0;
  }
}
