/** Opens the configuration database: SQLite (embedded default) or PostgreSQL, migrated and ready. */
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';
import { PrismaPg } from '@prisma/adapter-pg';
import { PrismaClient as SqliteClient } from './generated/sqlite/index.js';
import { PrismaClient as PostgresClient } from './generated/postgresql/index.js';
import { applyMigrations } from './migrate.js';
import { databaseKind, sqlitePath, type DatabaseKind } from './database-url.js';

export { databaseKind, redact, type DatabaseKind } from './database-url.js';

/**
 * Both generated clients come from the same models (prisma/models.prisma), so they have the
 * same shape; the SQLite client's type stands for both.
 */
export type Db = SqliteClient;
export type DbTx = Parameters<Parameters<Db['$transaction']>[0]>[0];

export interface Database {
  readonly kind: DatabaseKind;
  readonly url: string;
  readonly prisma: Db;
  close(): Promise<void>;
}

export async function openDatabase(url: string): Promise<Database> {
  const kind = databaseKind(url);
  await applyMigrations(kind, url);
  const prisma = kind === 'sqlite' ? sqliteClient(url) : postgresClient(url);
  await prisma.$connect();
  if (kind === 'sqlite') {
    // WAL with synchronous=NORMAL: a crash of the manager loses nothing committed; a power
    // loss may lose the last transactions, never corrupts (sqlite.org/wal.html).
    await prisma.$queryRawUnsafe('PRAGMA synchronous = NORMAL');
    await prisma.$queryRawUnsafe('PRAGMA foreign_keys = ON');
  }
  return {
    kind,
    url,
    prisma,
    close: () => prisma.$disconnect(),
  };
}

function sqliteClient(url: string): Db {
  const adapter = new PrismaBetterSQLite3({ url: sqlitePath(url), timeout: 10_000 });
  return new SqliteClient({ adapter });
}

function postgresClient(url: string): Db {
  const adapter = new PrismaPg({ connectionString: url });
  return new PostgresClient({ adapter }) as unknown as Db;
}
