-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_api_token" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "name" TEXT NOT NULL,
    "hash" TEXT NOT NULL,
    "vm_uuid" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "api_token_vm_uuid_fkey" FOREIGN KEY ("vm_uuid") REFERENCES "vm" ("uuid") ON DELETE CASCADE ON UPDATE CASCADE
);
-- each token moves to the uuid of the VM its name named; tokens of VMs already gone end here
INSERT INTO "new_api_token" ("created_at", "hash", "id", "name", "vm_uuid") SELECT "t"."created_at", "t"."hash", "t"."id", "t"."name", "v"."uuid" FROM "api_token" AS "t" JOIN "vm" AS "v" ON "v"."name" = "t"."vm";
DROP TABLE "api_token";
ALTER TABLE "new_api_token" RENAME TO "api_token";
CREATE UNIQUE INDEX "api_token_name_key" ON "api_token"("name");
CREATE UNIQUE INDEX "api_token_hash_key" ON "api_token"("hash");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

