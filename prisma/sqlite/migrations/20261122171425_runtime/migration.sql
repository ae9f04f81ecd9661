-- AlterTable
ALTER TABLE "vm" ADD COLUMN "console_buffer" INTEGER;
ALTER TABLE "vm" ADD COLUMN "max_event_channels" INTEGER;

-- CreateTable
CREATE TABLE "image" (
    "name" TEXT NOT NULL PRIMARY KEY,
    "kernel" TEXT NOT NULL,
    "services" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateTable
CREATE TABLE "image_program" (
    "image_name" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "elf" BLOB NOT NULL,

    PRIMARY KEY ("image_name", "name"),
    CONSTRAINT "image_program_image_name_fkey" FOREIGN KEY ("image_name") REFERENCES "image" ("name") ON DELETE CASCADE ON UPDATE CASCADE
);

