/** API tokens bound to a VM; only the token's SHA-256 is kept. */
import type { Db, DbTx } from './database.js';

export interface TokenRow {
  id: string;
  name: string;
  hash: string;
  /** The VM the token acts for; the row goes with the VM (ON DELETE CASCADE). */
  vmUuid: string;
  createdAt: Date;
}

export class TokenRepository {
  constructor(private readonly db: Db | DbTx) {}

  all(): Promise<TokenRow[]> {
    return this.db.apiToken.findMany({ orderBy: { name: 'asc' } });
  }

  byHash(hash: string): Promise<TokenRow | null> {
    return this.db.apiToken.findUnique({ where: { hash } });
  }

  byName(name: string): Promise<TokenRow | null> {
    return this.db.apiToken.findUnique({ where: { name } });
  }

  async create(row: Omit<TokenRow, 'createdAt'>): Promise<TokenRow> {
    return this.db.apiToken.create({ data: row });
  }

  async delete(name: string): Promise<boolean> {
    const { count } = await this.db.apiToken.deleteMany({ where: { name } });
    return count > 0;
  }
}
