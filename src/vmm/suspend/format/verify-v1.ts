/** Verifies a format-version-1 file: lengths against the file size, then one streaming pass that walks and hashes it all. */
import { createHash } from 'node:crypto';
import type { FileHandle } from 'node:fs/promises';
import { FRAME_SIZE } from '../../../vcpu/memory-layout.js';
import { ChunkReader } from './chunk-reader.js';
import { DIGEST_SIZE, HEADER, MAX_JSON_BYTES, MAX_NAME_BYTES, MAX_RAM_BYTES, MEMORY, RECORD, SECTION, TRAILER, TRAILER_MAGIC, readU64 } from './layout.js';
import { KNOWN_SECTION_FLAGS, SECTION_FLAGS, sectionKindOf } from './section-kinds.js';
import { snapErr, snapOk, type SnapshotErrorCode, type SnapshotResult } from './snapshot-errors.js';
import type { MemoryInfo, SectionInfo, VerifiedLayout } from './verified-layout.js';

interface FixedHeader {
  readonly total: number;
  readonly sectionCount: number;
  readonly cellaVersionLength: number;
  readonly headerJsonLength: number;
}

/** What the walk collects before the checksum is known to hold (JSON still as bytes). */
interface Walked {
  readonly cellaVersion: Buffer;
  readonly header: Buffer;
  readonly sections: SectionInfo[];
  readonly json: Map<string, Buffer>;
  readonly memory: Map<string, MemoryInfo>;
}

class Walk {
  readonly trailerStart: number;
  constructor(readonly reader: ChunkReader, readonly path: string, readonly fixed: FixedHeader) {
    this.trailerStart = fixed.total - TRAILER.SIZE;
  }

  fail<T>(code: SnapshotErrorCode, message: string, offset = this.reader.offset): SnapshotResult<T> {
    return snapErr(code, `snapshot ${this.path}: ${message}`, offset);
  }
}

/**
 * Order: the fixed header's lengths against the file size (TRUNCATED, CORRUPT for trailing bytes), then one pass
 * that hashes every byte and walks the structure; a digest mismatch (CHECKSUM) outranks what the walk found;
 * then the walk's verdict, then JSON parsing.
 */
export async function verifyV1(file: FileHandle, size: number, prefix: Buffer, path: string): Promise<SnapshotResult<VerifiedLayout>> {
  const fixed = readFixedHeader(prefix, size, path);
  if (!fixed.ok) return fixed;
  const hash = createHash('sha256');
  const digestAt = fixed.value.total - DIGEST_SIZE;
  const reader = new ChunkReader(file, 0, fixed.value.total, { hash, end: digestAt });
  const walked = await walkFile(new Walk(reader, path, fixed.value));
  if (!(await reader.skipTo(digestAt))) return truncatedWhileReading(path, reader.offset);
  const stored = (await reader.take(DIGEST_SIZE)) ?? Buffer.alloc(DIGEST_SIZE);
  const computed = hash.digest();
  if (!computed.equals(stored)) {
    return snapErr('SNAPSHOT_CHECKSUM', `snapshot ${path}: SHA-256 mismatch (trailer says ${hex(stored)}, the bytes hash to ${hex(computed)})`, digestAt);
  }
  if (!walked.ok) return walked;
  return parseJson(walked.value, fixed.value.total, path);
}

function readFixedHeader(prefix: Buffer, size: number, path: string): SnapshotResult<FixedHeader> {
  if (prefix.length < HEADER.SIZE) {
    return snapErr('SNAPSHOT_TRUNCATED', `snapshot ${path}: the file ends after ${size} bytes, inside the ${HEADER.SIZE}-byte fixed header`, size);
  }
  const total = readU64(prefix, HEADER.TOTAL_LENGTH);
  if (size < total) {
    const says = Number.isFinite(total) ? `${total}` : 'more than 2^53';
    return snapErr('SNAPSHOT_TRUNCATED', `snapshot ${path}: the file has ${size} bytes, its header says ${says}`, size);
  }
  if (size > total) {
    return snapErr('SNAPSHOT_CORRUPT', `snapshot ${path}: ${size - total} bytes follow the ${total} bytes the header declares`, total);
  }
  if (total < HEADER.SIZE + TRAILER.SIZE) {
    return snapErr('SNAPSHOT_CORRUPT', `snapshot ${path}: a total length of ${total} has no room for header and trailer`, HEADER.TOTAL_LENGTH);
  }
  return snapOk({
    total,
    sectionCount: prefix.readUInt32LE(HEADER.SECTION_COUNT),
    cellaVersionLength: prefix.readUInt32LE(HEADER.CELLA_VERSION_LENGTH),
    headerJsonLength: prefix.readUInt32LE(HEADER.HEADER_JSON_LENGTH),
  });
}

async function walkFile(w: Walk): Promise<SnapshotResult<Walked>> {
  const head = await walkHeader(w);
  if (!head.ok) return head;
  const out: Walked = { ...head.value, sections: [], json: new Map(), memory: new Map() };
  for (let i = 0; i < w.fixed.sectionCount; i++) {
    const s = await walkSection(w, i, out);
    if (!s.ok) return s;
  }
  if (w.reader.offset !== w.trailerStart) {
    return w.fail('SNAPSHOT_CORRUPT', `the sections end at ${w.reader.offset}, the trailer starts at ${w.trailerStart}`);
  }
  const trailer = await walkTrailer(w);
  return trailer.ok ? snapOk(out) : trailer;
}

async function walkHeader(w: Walk): Promise<SnapshotResult<{ cellaVersion: Buffer; header: Buffer }>> {
  const { cellaVersionLength: vl, headerJsonLength: hl } = w.fixed;
  if (!(await w.reader.fill(HEADER.SIZE))) return truncatedWhileReading(w.path, w.reader.offset);
  const b = w.reader.buf;
  const p = w.reader.at;
  if (b.readUInt32LE(p + HEADER.FLAGS) !== 0 || b.readUInt32LE(p + HEADER.RESERVED) !== 0) {
    return w.fail('SNAPSHOT_CORRUPT', 'header flags or reserved field not zero', HEADER.FLAGS);
  }
  w.reader.at += HEADER.SIZE;
  if (vl === 0 || vl > MAX_NAME_BYTES || hl > MAX_JSON_BYTES || HEADER.SIZE + vl + hl > w.trailerStart) {
    return w.fail('SNAPSHOT_CORRUPT', `header strings of ${vl} and ${hl} bytes do not fit`, HEADER.CELLA_VERSION_LENGTH);
  }
  const cellaVersion = await w.reader.take(vl);
  const header = await w.reader.take(hl);
  if (!cellaVersion || !header) return truncatedWhileReading(w.path, w.reader.offset);
  return snapOk({ cellaVersion, header });
}

interface SectionHead {
  readonly kindId: number;
  readonly flags: number;
  readonly nameLength: number;
  readonly payloadLength: number;
  readonly at: number;
}

async function walkSection(w: Walk, index: number, out: Walked): Promise<SnapshotResult<void>> {
  const head = await readSectionHead(w, index);
  if (!head.ok) return head;
  const { kindId, flags, payloadLength, nameLength } = head.value;
  const nameBytes = await w.reader.take(nameLength);
  if (!nameBytes) return truncatedWhileReading(w.path, w.reader.offset);
  const name = decodeUtf8(nameBytes);
  if (name === null || out.sections.some((s) => s.name === name)) {
    return w.fail('SNAPSHOT_CORRUPT', `section ${index}: its name is not UTF-8 or not unique`, head.value.at);
  }
  const kind = sectionKindOf(kindId);
  const info: SectionInfo = { name, kind: kind ?? 'unknown', kindId, flags, offset: w.reader.offset, length: payloadLength };
  out.sections.push(info);
  if (kind === 'json') return walkJson(w, info, out);
  if (kind === 'memory') return walkMemory(w, info, out);
  if ((flags & SECTION_FLAGS.OPTIONAL) === 0) {
    return w.fail('SNAPSHOT_UNKNOWN_SECTION', `section ${index} "${name}" has kind ${kindId}, which this Cella does not know, and is not optional`, head.value.at);
  }
  return (await w.reader.skip(payloadLength)) ? snapOk(undefined) : truncatedWhileReading(w.path, w.reader.offset);
}

async function readSectionHead(w: Walk, index: number): Promise<SnapshotResult<SectionHead>> {
  const at = w.reader.offset;
  if (at + SECTION.SIZE > w.trailerStart) return w.fail('SNAPSHOT_CORRUPT', `section ${index} of ${w.fixed.sectionCount} would start in the trailer`);
  if (!(await w.reader.fill(SECTION.SIZE))) return truncatedWhileReading(w.path, at);
  const b = w.reader.buf;
  const p = w.reader.at;
  const head = {
    kindId: b.readUInt32LE(p + SECTION.KIND),
    flags: b.readUInt32LE(p + SECTION.FLAGS),
    nameLength: b.readUInt32LE(p + SECTION.NAME_LENGTH),
    payloadLength: readU64(b, p + SECTION.PAYLOAD_LENGTH),
    at,
  };
  w.reader.at += SECTION.SIZE;
  if ((head.flags & ~KNOWN_SECTION_FLAGS) !== 0) return w.fail('SNAPSHOT_CORRUPT', `section ${index}: unknown flags ${head.flags}`, at);
  if (head.nameLength === 0 || head.nameLength > MAX_NAME_BYTES) return w.fail('SNAPSHOT_CORRUPT', `section ${index}: name of ${head.nameLength} bytes`, at);
  if (at + SECTION.SIZE + head.nameLength + head.payloadLength > w.trailerStart) {
    return w.fail('SNAPSHOT_CORRUPT', `section ${index}: ${head.payloadLength} payload bytes run past the trailer at ${w.trailerStart}`, at);
  }
  return snapOk(head);
}

async function walkJson(w: Walk, info: SectionInfo, out: Walked): Promise<SnapshotResult<void>> {
  if (info.length > MAX_JSON_BYTES) return w.fail('SNAPSHOT_CORRUPT', `section "${info.name}": ${info.length} bytes of JSON is over the limit`);
  const bytes = await w.reader.take(info.length);
  if (!bytes) return truncatedWhileReading(w.path, w.reader.offset);
  out.json.set(info.name, bytes);
  return snapOk(undefined);
}

async function walkMemory(w: Walk, info: SectionInfo, out: Walked): Promise<SnapshotResult<void>> {
  const r = w.reader;
  if (info.length < MEMORY.SIZE || !(await r.fill(MEMORY.SIZE))) return w.fail('SNAPSHOT_CORRUPT', `section "${info.name}": no room for the memory header`);
  const ramSize = readU64(r.buf, r.at + MEMORY.RAM_SIZE);
  const frameSize = r.buf.readUInt32LE(r.at + MEMORY.FRAME_SIZE);
  const recordCount = r.buf.readUInt32LE(r.at + MEMORY.RECORD_COUNT);
  r.at += MEMORY.SIZE;
  if (frameSize !== FRAME_SIZE) return w.fail('SNAPSHOT_CORRUPT', `section "${info.name}": frames of ${frameSize} bytes, this Cella reads ${FRAME_SIZE}`);
  if (ramSize === 0 || ramSize % FRAME_SIZE !== 0 || ramSize > MAX_RAM_BYTES) return w.fail('SNAPSHOT_CORRUPT', `section "${info.name}": RAM size ${ramSize}`);
  if (info.length !== MEMORY.SIZE + recordCount * RECORD.SIZE || recordCount > ramSize / FRAME_SIZE) {
    return w.fail('SNAPSHOT_CORRUPT', `section "${info.name}": ${recordCount} records do not fill ${info.length} bytes`);
  }
  const records = await walkRecords(w, info.name, ramSize / FRAME_SIZE, recordCount);
  if (!records.ok) return records;
  out.memory.set(info.name, { ramSize, recordCount, recordsOffset: info.offset + MEMORY.SIZE });
  return snapOk(undefined);
}

/** Frame numbers must ascend and lie inside RAM; the frame data is only hashed. */
async function walkRecords(w: Walk, name: string, frames: number, count: number): Promise<SnapshotResult<void>> {
  const r = w.reader;
  let previous = -1;
  for (let i = 0; i < count; i++) {
    if (r.available() < RECORD.SIZE && !(await r.fill(RECORD.SIZE))) return truncatedWhileReading(w.path, r.offset);
    const frame = r.buf.readUInt32LE(r.at + RECORD.FRAME);
    if (frame <= previous || frame >= frames) {
      return w.fail('SNAPSHOT_CORRUPT', `section "${name}": record ${i} has frame ${frame} after ${previous} (frames ascend, below ${frames})`);
    }
    previous = frame;
    r.at += RECORD.SIZE;
  }
  return snapOk(undefined);
}

async function walkTrailer(w: Walk): Promise<SnapshotResult<void>> {
  if (!(await w.reader.fill(TRAILER.DIGEST))) return truncatedWhileReading(w.path, w.reader.offset);
  const b = w.reader.buf.subarray(w.reader.at, w.reader.at + TRAILER.DIGEST);
  if (!b.subarray(0, TRAILER_MAGIC.length).equals(TRAILER_MAGIC)) return w.fail('SNAPSHOT_CORRUPT', 'the trailer does not start with CELLAEND');
  if (b.readUInt32LE(TRAILER.SECTION_COUNT) !== w.fixed.sectionCount || b.readUInt32LE(TRAILER.RESERVED) !== 0) {
    return w.fail('SNAPSHOT_CORRUPT', `the trailer's section count ${b.readUInt32LE(TRAILER.SECTION_COUNT)} is not the header's ${w.fixed.sectionCount}`);
  }
  w.reader.at += TRAILER.DIGEST;
  return snapOk(undefined);
}

function parseJson(walked: Walked, total: number, path: string): SnapshotResult<VerifiedLayout> {
  const cellaVersion = decodeUtf8(walked.cellaVersion);
  const header = parseText(walked.header);
  if (cellaVersion === null || header === undefined) return snapErr('SNAPSHOT_CORRUPT', `snapshot ${path}: the header's Cella version or JSON does not parse`, HEADER.SIZE);
  const json = new Map<string, unknown>();
  for (const [name, bytes] of walked.json) {
    const value = parseText(bytes);
    const offset = walked.sections.find((s) => s.name === name)?.offset;
    if (value === undefined) return snapErr('SNAPSHOT_CORRUPT', `snapshot ${path}: section "${name}" is not JSON`, offset);
    json.set(name, value);
  }
  return snapOk({ formatVersion: 1, cellaVersion, header, bytes: total, sections: walked.sections, json, memory: walked.memory });
}

const utf8 = new TextDecoder('utf-8', { fatal: true });

function decodeUtf8(bytes: Buffer): string | null {
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

/** The parsed JSON value, or undefined when the bytes are not UTF-8 JSON. */
function parseText(bytes: Buffer): unknown {
  const text = decodeUtf8(bytes);
  if (text === null) return undefined;
  try {
    return JSON.parse(text) as unknown;
  } catch {
    return undefined;
  }
}

function truncatedWhileReading<T>(path: string, offset: number): SnapshotResult<T> {
  return snapErr('SNAPSHOT_TRUNCATED', `snapshot ${path}: the file ended at ${offset} while being read (it shrank after it was opened)`, offset);
}

function hex(b: Buffer): string {
  return b.toString('hex').slice(0, 16) + '…';
}
