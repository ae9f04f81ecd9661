/** Streams a planned snapshot into a ChunkWriter: header, sections (memory frame by frame), trailer with the digest. */
import { FRAME_SIZE } from '../../../vcpu/memory-layout.js';
import type { ChunkWriter } from './chunk-writer.js';
import { FORMAT_VERSION, HEADER, MAGIC, MEMORY, RECORD, SECTION, TRAILER, TRAILER_MAGIC, writeU64 } from './layout.js';
import { bufferOf, isRamSource, type FrameSource, type RamSource } from './memory-source.js';
import type { PlannedMemory, PlannedSection, SnapshotPlan } from './snapshot-plan.js';
import { SECTION_KINDS } from './section-kinds.js';
import { snapErr, snapOk, type SnapshotResult } from './snapshot-errors.js';

/** Writes the whole file; refuses (as a value) when a frame source yields other frames than it did when planned. */
export async function encodeSnapshot(w: ChunkWriter, plan: SnapshotPlan): Promise<SnapshotResult<number>> {
  await w.put(fixedHeader(plan));
  await w.put(plan.cellaVersion);
  await w.put(plan.header);
  for (const section of plan.sections) {
    const written = await putSection(w, section);
    if (!written.ok) return written;
  }
  await w.put(trailerHead(plan.sections.length));
  await w.put(w.digest());
  await w.finish();
  return snapOk(w.written);
}

function fixedHeader(plan: SnapshotPlan): Buffer {
  const b = Buffer.alloc(HEADER.SIZE);
  MAGIC.copy(b, HEADER.MAGIC);
  b.writeUInt32LE(FORMAT_VERSION, HEADER.VERSION);
  writeU64(b, plan.total, HEADER.TOTAL_LENGTH);
  b.writeUInt32LE(plan.sections.length, HEADER.SECTION_COUNT);
  b.writeUInt32LE(plan.cellaVersion.length, HEADER.CELLA_VERSION_LENGTH);
  b.writeUInt32LE(plan.header.length, HEADER.HEADER_JSON_LENGTH);
  return b;
}

function trailerHead(sectionCount: number): Buffer {
  const b = Buffer.alloc(TRAILER.DIGEST);
  TRAILER_MAGIC.copy(b, TRAILER.MAGIC);
  b.writeUInt32LE(sectionCount, TRAILER.SECTION_COUNT);
  return b;
}

async function putSection(w: ChunkWriter, s: PlannedSection): Promise<SnapshotResult<void>> {
  const head = Buffer.alloc(SECTION.SIZE);
  head.writeUInt32LE(SECTION_KINDS[s.kind].id, SECTION.KIND);
  head.writeUInt32LE(s.flags, SECTION.FLAGS);
  head.writeUInt32LE(s.name.length, SECTION.NAME_LENGTH);
  writeU64(head, s.payloadLength, SECTION.PAYLOAD_LENGTH);
  await w.put(head);
  await w.put(s.name);
  if (s.kind === 'json') {
    await w.put(s.payload);
    return snapOk(undefined);
  }
  await w.put(memoryHead(s));
  if (isRamSource(s.source)) {
    await putRamFrames(w, s.source, s.frames);
    return snapOk(undefined);
  }
  return putSourceFrames(w, s.source, s.frames, s.name.toString('utf8'));
}

function memoryHead(s: PlannedMemory): Buffer {
  const b = Buffer.alloc(MEMORY.SIZE);
  writeU64(b, s.source.size, MEMORY.RAM_SIZE);
  b.writeUInt32LE(FRAME_SIZE, MEMORY.FRAME_SIZE);
  b.writeUInt32LE(s.frames.length, MEMORY.RECORD_COUNT);
  return b;
}

/** Frame records straight from RAM into the chunk buffer: no allocation per frame, an await only per chunk. */
async function putRamFrames(w: ChunkWriter, source: RamSource, frames: Uint32Array): Promise<void> {
  const ram = bufferOf(source.u8, source.size);
  for (let i = 0; i < frames.length; i++) {
    if (!w.hasRoom(RECORD.SIZE)) await w.reserve(RECORD.SIZE);
    const buf = w.buf;
    const off = frames[i] * FRAME_SIZE;
    buf.writeUInt32LE(frames[i], w.pos + RECORD.FRAME);
    ram.copy(buf, w.pos + RECORD.DATA, off, off + FRAME_SIZE);
    w.pos += RECORD.SIZE;
  }
}

/** Second pass over a frame iterator: stores exactly the frames planned, in order. */
async function putSourceFrames(w: ChunkWriter, source: FrameSource, frames: Uint32Array, name: string): Promise<SnapshotResult<void>> {
  let k = 0;
  for (const { frame, data } of source.frames()) {
    if (k === frames.length || frame !== frames[k]) continue;
    if (!w.hasRoom(RECORD.SIZE)) await w.reserve(RECORD.SIZE);
    w.buf.writeUInt32LE(frame, w.pos + RECORD.FRAME);
    w.buf.set(data.subarray(0, FRAME_SIZE), w.pos + RECORD.DATA);
    w.pos += RECORD.SIZE;
    k++;
  }
  if (k === frames.length) return snapOk(undefined);
  return snapErr('SNAPSHOT_INVALID_INPUT', `snapshot: section ${name}: the frame source yielded other frames on its second pass`);
}
