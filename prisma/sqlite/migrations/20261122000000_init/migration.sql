-- CreateTable
CREATE TABLE "vm" (
    "uuid" TEXT NOT NULL PRIMARY KEY,
    "qid" INTEGER NOT NULL,
    "name" TEXT NOT NULL,
    "class" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "template_uuid" TEXT,
    "memory" INTEGER,
    "maxmem" INTEGER,
    "vcpus" INTEGER,
    "kernel" TEXT,
    "autostart" BOOLEAN,
    "default_dispvm_uuid" TEXT,
    "template_for_dispvms" BOOLEAN,
    "shutdown_timeout" INTEGER,
    "qrexec_timeout" INTEGER,
    "power_state" TEXT NOT NULL DEFAULT 'halted',
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updated_at" DATETIME NOT NULL,
    CONSTRAINT "vm_template_uuid_fkey" FOREIGN KEY ("template_uuid") REFERENCES "vm" ("uuid") ON DELETE RESTRICT ON UPDATE CASCADE,
    CONSTRAINT "vm_default_dispvm_uuid_fkey" FOREIGN KEY ("default_dispvm_uuid") REFERENCES "vm" ("uuid") ON DELETE RESTRICT ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "vm_tag" (
    "vm_uuid" TEXT NOT NULL,
    "tag" TEXT NOT NULL,

    PRIMARY KEY ("vm_uuid", "tag"),
    CONSTRAINT "vm_tag_vm_uuid_fkey" FOREIGN KEY ("vm_uuid") REFERENCES "vm" ("uuid") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "vm_feature" (
    "vm_uuid" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "value" TEXT NOT NULL,

    PRIMARY KEY ("vm_uuid", "name"),
    CONSTRAINT "vm_feature_vm_uuid_fkey" FOREIGN KEY ("vm_uuid") REFERENCES "vm" ("uuid") ON DELETE CASCADE ON UPDATE CASCADE
);

-- CreateTable
CREATE TABLE "event" (
    "id" INTEGER NOT NULL PRIMARY KEY AUTOINCREMENT,
    "name" TEXT NOT NULL,
    "subject" TEXT,
    "payload" TEXT NOT NULL,
    "created_at" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP
);

-- CreateIndex
CREATE UNIQUE INDEX "vm_qid_key" ON "vm"("qid");

-- CreateIndex
CREATE UNIQUE INDEX "vm_name_key" ON "vm"("name");

