/** Byte layout of a snapshot file, format versions 1 and 2 (the same bytes): magics, field offsets, sizes and limits (all little-endian). */
import { FRAME_SIZE } from '../../../vcpu/memory-layout.js';

/** First 8 bytes of a finished snapshot. Offsets 0..12 (magic, version) stay put in every format version. */
export const MAGIC = Buffer.from('CELLASNP', 'latin1');
/** First 8 bytes while the file is still being written; flipped to MAGIC just before the final sync. */
export const PART_MAGIC = Buffer.from('CELLAPRT', 'latin1');
/** First 8 bytes of the trailer. */
export const TRAILER_MAGIC = Buffer.from('CELLAEND', 'latin1');

/**
 * The format version this Cella writes. Version 2 has version 1's byte layout; what changed is what
 * a VM file means: its processes and kernel have page tables (pages sections), so a Cella that
 * predates them must refuse the file rather than resume it with every address taken as physical.
 */
export const FORMAT_VERSION = 2;

/** Fixed header: magic, version, flags, total length, section count, two string lengths, reserved. */
export const HEADER = {
  MAGIC: 0,
  VERSION: 8,
  FLAGS: 12,
  TOTAL_LENGTH: 16,
  SECTION_COUNT: 24,
  CELLA_VERSION_LENGTH: 28,
  HEADER_JSON_LENGTH: 32,
  RESERVED: 36,
  SIZE: 40,
} as const;

/** Section header, followed by the name (UTF-8) and the payload. */
export const SECTION = {
  KIND: 0,
  FLAGS: 4,
  NAME_LENGTH: 8,
  PAYLOAD_LENGTH: 12,
  SIZE: 20,
} as const;

/** Start of a memory section's payload, followed by its frame records. */
export const MEMORY = {
  RAM_SIZE: 0,
  FRAME_SIZE: 8,
  RECORD_COUNT: 12,
  SIZE: 16,
} as const;

/** One frame record: the frame number (u32) and the frame's 4 KiB. */
export const RECORD = {
  FRAME: 0,
  DATA: 4,
  SIZE: 4 + FRAME_SIZE,
} as const;

/** Trailer: magic, section count again, reserved, then the SHA-256 of every byte before the digest. */
export const TRAILER = {
  MAGIC: 0,
  SECTION_COUNT: 8,
  RESERVED: 12,
  DIGEST: 16,
  SIZE: 48,
} as const;

export const DIGEST_SIZE = 32;

/** Longest Cella version string and section name, in UTF-8 bytes. */
export const MAX_NAME_BYTES = 255;
/** Largest JSON text (header or one section): JSON is small state, RAM goes in memory sections. */
export const MAX_JSON_BYTES = 256 * 1024 * 1024;
/** Largest RAM a memory section describes (4 GiB: frame numbers are u32 and RAM ends at 2^32). */
export const MAX_RAM_BYTES = 2 ** 32;

/** Size of the buffers the writer fills and the reader reads into. */
export const CHUNK_SIZE = 1024 * 1024;

/** Writes a u64 that is a safe integer (below 2^53) as two u32 halves. */
export function writeU64(buf: Buffer, value: number, offset: number): void {
  buf.writeUInt32LE(value % 2 ** 32, offset);
  buf.writeUInt32LE(Math.floor(value / 2 ** 32), offset + 4);
}

/** Reads a u64; values of 2^53 and above come back as Infinity, which every bound check refuses. */
export function readU64(buf: Buffer, offset: number): number {
  const hi = buf.readUInt32LE(offset + 4);
  return hi >= 2 ** 21 ? Infinity : hi * 2 ** 32 + buf.readUInt32LE(offset);
}
