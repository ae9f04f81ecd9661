#!/usr/bin/env node
// Writes the per-provider Prisma schemas from prisma/models.prisma and generates both clients.
// `--check` only verifies that the committed schemas match the model source.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const providers = {
  sqlite: 'file:./dev.db',
  postgresql: 'postgresql://localhost/cella',
};

function schemaFor(provider) {
  const models = readFileSync(join(root, 'prisma/models.prisma'), 'utf8');
  return `// GENERATED from prisma/models.prisma by scripts/prisma-generate.mjs. Do not edit.

generator client {
  provider        = "prisma-client-js"
  output          = "../../src/store/generated/${provider}"
  engineType      = "client"
}

datasource db {
  provider = "${provider}"
  url      = env("DATABASE_URL")
}

${models}`;
}

const check = process.argv.includes('--check');
let stale = false;
for (const [provider, url] of Object.entries(providers)) {
  const file = join(root, 'prisma', provider, 'schema.prisma');
  const text = schemaFor(provider);
  if (check) {
    let current = '';
    try { current = readFileSync(file, 'utf8'); } catch { /* missing counts as stale */ }
    if (current !== text) { console.error(`stale: ${file}`); stale = true; }
    continue;
  }
  mkdirSync(dirname(file), { recursive: true });
  writeFileSync(file, text);
  execFileSync(join(root, 'node_modules/.bin/prisma'), ['generate', '--config', join(root, 'prisma', `${provider}.config.ts`)], {
    cwd: root,
    env: { ...process.env, DATABASE_URL: process.env.DATABASE_URL ?? url, PRISMA_HIDE_UPDATE_MESSAGE: '1' },
    stdio: ["ignore", "ignore", "pipe"],
  });
}
if (stale) { console.error('run: node scripts/prisma-generate.mjs'); process.exit(1); }
