-- AlterTable
ALTER TABLE "vm" ADD COLUMN     "on_host_stop" TEXT;

-- AlterTable
ALTER TABLE "snapshot" ADD COLUMN     "reason" TEXT NOT NULL DEFAULT 'request';

