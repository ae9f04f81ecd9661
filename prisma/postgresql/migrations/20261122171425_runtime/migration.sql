-- AlterTable
ALTER TABLE "vm" ADD COLUMN     "console_buffer" INTEGER,
ADD COLUMN     "max_event_channels" INTEGER;

-- CreateTable
CREATE TABLE "image" (
    "name" TEXT NOT NULL,
    "kernel" TEXT NOT NULL,
    "services" TEXT NOT NULL,
    "created_at" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "image_pkey" PRIMARY KEY ("name")
);

-- CreateTable
CREATE TABLE "image_program" (
    "image_name" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "elf" BYTEA NOT NULL,

    CONSTRAINT "image_program_pkey" PRIMARY KEY ("image_name","name")
);

-- AddForeignKey
ALTER TABLE "image_program" ADD CONSTRAINT "image_program_image_name_fkey" FOREIGN KEY ("image_name") REFERENCES "image"("name") ON DELETE CASCADE ON UPDATE CASCADE;

