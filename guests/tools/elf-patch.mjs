// Sets one field of an ELF32 file in place, for guest builds the bare-metal linker cannot produce:
//   node tools/elf-patch.mjs type-dyn FILE     e_type = ET_DYN (a static-pie: code linked at 0, PC-relative)
//   node tools/elf-patch.mjs load-rx FILE      every PT_LOAD segment's p_flags = PF_R | PF_X
import { readFileSync, writeFileSync } from 'node:fs';

const [what, file] = process.argv.slice(2);
const b = readFileSync(file);
if (b.readUInt32BE(0) !== 0x7f454c46 || b[4] !== 1 || b[5] !== 1) throw new Error(`${file}: not a little-endian ELF32 file`);
if (what === 'type-dyn') b.writeUInt16LE(3, 16);
else if (what === 'load-rx') {
  const phoff = b.readUInt32LE(28), phnum = b.readUInt16LE(44);
  for (let i = 0; i < phnum; i++) if (b.readUInt32LE(phoff + 32 * i) === 1) b.writeUInt32LE(5, phoff + 32 * i + 24);
} else throw new Error(`unknown patch ${what}`);
writeFileSync(file, b);
