/** Writes minimal static RISC-V ELF32 executables (code and data segments), e.g. for generated test programs. */

export interface ElfSegmentSpec {
  readonly vaddr: number;
  readonly bytes: Uint8Array;
  /** Memory size (>= bytes.length; the rest is bss). */
  readonly memsz?: number;
  /** PF_R | PF_W | PF_X bits. */
  readonly flags: number;
}

const EHDR = 52, PHDR = 32, ALIGN = 4096;

/** An ELF32 executable with `entry` and the given PT_LOAD segments (file offsets page-aligned). */
export function writeElf32(entry: number, segments: readonly ElfSegmentSpec[]): Uint8Array {
  const offsets: number[] = [];
  let off = ALIGN;
  for (const seg of segments) { offsets.push(off); off += Math.ceil(seg.bytes.length / ALIGN) * ALIGN || ALIGN; }
  const out = new Uint8Array(off);
  const v = new DataView(out.buffer);
  out.set([0x7f, 0x45, 0x4c, 0x46, 1, 1, 1, 0]);
  v.setUint16(16, 2, true); v.setUint16(18, 243, true); v.setUint32(20, 1, true);
  v.setUint32(24, entry >>> 0, true); v.setUint32(28, EHDR, true); v.setUint32(32, 0, true);
  v.setUint16(40, EHDR, true); v.setUint16(42, PHDR, true); v.setUint16(44, segments.length, true);
  v.setUint16(46, 40, true);
  segments.forEach((seg, k) => {
    const at = EHDR + k * PHDR;
    v.setUint32(at, 1, true); v.setUint32(at + 4, offsets[k], true);
    v.setUint32(at + 8, seg.vaddr >>> 0, true); v.setUint32(at + 12, seg.vaddr >>> 0, true);
    v.setUint32(at + 16, seg.bytes.length, true); v.setUint32(at + 20, seg.memsz ?? seg.bytes.length, true);
    v.setUint32(at + 24, seg.flags, true); v.setUint32(at + 28, ALIGN, true);
    out.set(seg.bytes, offsets[k]);
  });
  return out;
}

/** Little-endian bytes of 32-bit words. */
export function wordsToBytes(words: readonly number[]): Uint8Array {
  const out = new Uint8Array(words.length * 4);
  const v = new DataView(out.buffer);
  words.forEach((w, k) => v.setUint32(k * 4, w >>> 0, true));
  return out;
}
