-- AlterTable
ALTER TABLE "vm" ADD COLUMN     "cpu_affinity" TEXT;

