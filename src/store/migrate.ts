/**
 * Applies the committed Prisma migrations (prisma/<provider>/migrations) in order, recording
 * them in Prisma's own `_prisma_migrations` table so that `prisma migrate status` agrees.
 * It runs in process on the raw driver: the Prisma 6 CLI would cost a second per start on
 * SQLite and needs patches on PostgreSQL (reference/ts-stack-notes.md).
 */
import { createHash, randomUUID } from 'node:crypto';
import { readdirSync, readFileSync, existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import { sqlitePath, type DatabaseKind } from './database-url.js';

const MIGRATIONS_ROOT = join(dirname(fileURLToPath(import.meta.url)), '../../prisma');

export interface Migration {
  readonly name: string;
  readonly sql: string;
  readonly checksum: string;
}

export function committedMigrations(kind: DatabaseKind): Migration[] {
  const dir = join(MIGRATIONS_ROOT, kind, 'migrations');
  return readdirSync(dir, { withFileTypes: true })
    .filter((e) => e.isDirectory() && existsSync(join(dir, e.name, 'migration.sql')))
    .map((e) => e.name)
    .sort()
    .map((name) => {
      const sql = readFileSync(join(dir, name, 'migration.sql'), 'utf8');
      return { name, sql, checksum: createHash('sha256').update(sql).digest('hex') };
    });
}

const LEDGER = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    VARCHAR(36) PRIMARY KEY NOT NULL,
    "checksum"              VARCHAR(64) NOT NULL,
    "finished_at"           TIMESTAMPTZ,
    "migration_name"        VARCHAR(255) NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        TIMESTAMPTZ,
    "started_at"            TIMESTAMPTZ NOT NULL DEFAULT now(),
    "applied_steps_count"   INTEGER NOT NULL DEFAULT 0
)`;

const SQLITE_LEDGER = `CREATE TABLE IF NOT EXISTS "_prisma_migrations" (
    "id"                    TEXT PRIMARY KEY NOT NULL,
    "checksum"              TEXT NOT NULL,
    "finished_at"           DATETIME,
    "migration_name"        TEXT NOT NULL,
    "logs"                  TEXT,
    "rolled_back_at"        DATETIME,
    "started_at"            DATETIME NOT NULL DEFAULT current_timestamp,
    "applied_steps_count"   INTEGER UNSIGNED NOT NULL DEFAULT 0
)`;

export async function applyMigrations(kind: DatabaseKind, url: string): Promise<string[]> {
  const migrations = committedMigrations(kind);
  return kind === 'sqlite' ? migrateSqlite(url, migrations) : migratePostgres(url, migrations);
}

function pending(applied: Map<string, string>, migrations: Migration[]): Migration[] {
  for (const [name, checksum] of applied) {
    const known = migrations.find((m) => m.name === name);
    if (known && known.checksum !== checksum) {
      throw new Error(`migration ${name} was changed after it was applied (checksum differs)`);
    }
  }
  return migrations.filter((m) => !applied.has(m.name));
}

function migrateSqlite(url: string, migrations: Migration[]): string[] {
  const db = new BetterSqlite3(sqlitePath(url));
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('busy_timeout = 10000');
    db.exec(SQLITE_LEDGER);
    const run = db.transaction(() => {
      const rows = db
        .prepare('SELECT migration_name, checksum FROM _prisma_migrations WHERE rolled_back_at IS NULL AND finished_at IS NOT NULL')
        .all() as { migration_name: string; checksum: string }[];
      const todo = pending(new Map(rows.map((r) => [r.migration_name, r.checksum])), migrations);
      const insert = db.prepare(
        `INSERT INTO _prisma_migrations (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
         VALUES (?, ?, ?, ?, ?, 1)`,
      );
      for (const m of todo) {
        const started = new Date().toISOString();
        db.exec(m.sql);
        insert.run(randomUUID(), m.checksum, new Date().toISOString(), m.name, started);
      }
      return todo.map((m) => m.name);
    });
    return run.immediate();
  } finally {
    db.close();
  }
}

/** Serialises concurrent starters on one database with an advisory lock held for the run. */
const PG_LOCK_KEY = 0x63656c6c; // "cell"

async function migratePostgres(url: string, migrations: Migration[]): Promise<string[]> {
  const client = new pg.Client({ connectionString: url });
  await client.connect();
  try {
    await client.query('SELECT pg_advisory_lock($1)', [PG_LOCK_KEY]);
    await client.query(LEDGER);
    const { rows } = await client.query<{ migration_name: string; checksum: string }>(
      'SELECT migration_name, checksum FROM "_prisma_migrations" WHERE rolled_back_at IS NULL AND finished_at IS NOT NULL',
    );
    const todo = pending(new Map(rows.map((r) => [r.migration_name, r.checksum])), migrations);
    for (const m of todo) {
      await client.query('BEGIN');
      try {
        const started = new Date();
        await client.query(m.sql);
        await client.query(
          `INSERT INTO "_prisma_migrations" (id, checksum, finished_at, migration_name, started_at, applied_steps_count)
           VALUES ($1, $2, now(), $3, $4, 1)`,
          [randomUUID(), m.checksum, m.name, started],
        );
        await client.query('COMMIT');
      } catch (err) {
        await client.query('ROLLBACK');
        throw err;
      }
    }
    return todo.map((m) => m.name);
  } finally {
    await client.query('SELECT pg_advisory_unlock($1)', [PG_LOCK_KEY]).catch(() => undefined);
    await client.end();
  }
}
