#!/usr/bin/env bash
# Creates a migration NAME for both providers from the change between the schema at the last
# committed migration (git) and prisma/models.prisma. Usage: scripts/prisma-migration.sh NAME
set -euo pipefail
cd "$(dirname "$0")/.."
name="$(date -u +%Y%m%d%H%M%S)_$1"
node scripts/prisma-generate.mjs
for provider in sqlite postgresql; do
  prev=$(mktemp --suffix=.prisma)
  git show "HEAD:prisma/$provider/schema.prisma" > "$prev"
  mkdir -p "prisma/$provider/migrations/$name"
  url=$([ "$provider" = sqlite ] && echo "file:/tmp/cella-migration.db" || echo "${TEST_DATABASE_URL:-postgresql://postgres@127.0.0.1:5432/test}")
  (cd prisma && DATABASE_URL="$url" ../node_modules/.bin/prisma migrate diff --config "$provider.config.ts" \
    --from-schema-datamodel "$prev" --to-schema-datamodel "$provider/schema.prisma" --script) \
    > "prisma/$provider/migrations/$name/migration.sql"
  rm -f "$prev"
  echo "wrote prisma/$provider/migrations/$name/migration.sql"
done
