// Prisma CLI configuration for PostgreSQL (several hosts sharing one database).
import { defineConfig } from 'prisma/config';
import { PrismaPg } from '@prisma/adapter-pg';

export default defineConfig({
  experimental: { adapter: true },
  engine: 'js',
  schema: './postgresql/schema.prisma',
  migrations: { path: './postgresql/migrations' },
  async adapter() {
    const connectionString = process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/test';
    return new PrismaPg({ connectionString });
  },
});
