-- AlterTable
ALTER TABLE "vm" ADD COLUMN "autosuspend_idle_s" INTEGER;

