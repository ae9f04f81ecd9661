-- AlterTable: each token moves to the uuid of the VM its name named; tokens of VMs already gone end here
ALTER TABLE "api_token" ADD COLUMN "vm_uuid" TEXT;
UPDATE "api_token" SET "vm_uuid" = (SELECT "uuid" FROM "vm" WHERE "vm"."name" = "api_token"."vm");
DELETE FROM "api_token" WHERE "vm_uuid" IS NULL;
ALTER TABLE "api_token" ALTER COLUMN "vm_uuid" SET NOT NULL;
ALTER TABLE "api_token" DROP COLUMN "vm";

-- AddForeignKey
ALTER TABLE "api_token" ADD CONSTRAINT "api_token_vm_uuid_fkey" FOREIGN KEY ("vm_uuid") REFERENCES "vm"("uuid") ON DELETE CASCADE ON UPDATE CASCADE;
