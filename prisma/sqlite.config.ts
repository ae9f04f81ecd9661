// Prisma CLI configuration for the embedded SQLite store (no native engine download).
import { defineConfig } from 'prisma/config';
import { PrismaBetterSQLite3 } from '@prisma/adapter-better-sqlite3';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: './sqlite/schema.prisma',
  migrations: { path: './sqlite/migrations' },
  async adapter() {
    const url = process.env.DATABASE_URL ?? 'file:./dev.db';
    return new PrismaBetterSQLite3({ url: url.replace(/^file:/, '') });
  },
});
