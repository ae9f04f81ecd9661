-- AlterTable
ALTER TABLE "vm" ADD COLUMN "on_host_stop" TEXT;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_snapshot" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "file" TEXT NOT NULL,
    "vms" TEXT NOT NULL,
    "bytes" BIGINT NOT NULL,
    "sha256" TEXT NOT NULL,
    "format_version" INTEGER NOT NULL,
    "cella_version" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "reason" TEXT NOT NULL DEFAULT 'request'
);
INSERT INTO "new_snapshot" ("bytes", "cella_version", "created_at", "file", "format_version", "id", "sha256", "vms") SELECT "bytes", "cella_version", "created_at", "file", "format_version", "id", "sha256", "vms" FROM "snapshot";
DROP TABLE "snapshot";
ALTER TABLE "new_snapshot" RENAME TO "snapshot";
CREATE UNIQUE INDEX "snapshot_file_key" ON "snapshot"("file");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;

