/** What a writer is about to store: the encoded header and sections, their sizes and the total, known before writing. */
import { FRAME_SHIFT, FRAME_SIZE } from '../../../vcpu/memory-layout.js';
import { HEADER, MAX_JSON_BYTES, MAX_NAME_BYTES, MAX_RAM_BYTES, MEMORY, RECORD, SECTION, TRAILER } from './layout.js';
import { bufferOf, isRamSource, isZeroFrame, nonZeroFrames, type FrameSource, type MemorySource } from './memory-source.js';
import { SECTION_FLAGS, type SectionKind } from './section-kinds.js';
import { snapErr, snapOk, type SnapshotResult } from './snapshot-errors.js';

/** The JSON header object the caller provides (VM config, uuid, ids, ...). */
export type SnapshotHeader = Readonly<Record<string, unknown>>;

/** A section handed to the writer: JSON state or guest RAM. `optional` lets older readers skip it. */
export type SectionInput =
  | { readonly kind: 'json'; readonly name: string; readonly value: unknown; readonly optional?: boolean }
  | { readonly kind: 'memory'; readonly name: string; readonly memory: MemorySource; readonly optional?: boolean };

interface PlannedBase {
  readonly kind: SectionKind;
  readonly name: Buffer;
  readonly flags: number;
  readonly payloadLength: number;
}

export interface PlannedJson extends PlannedBase { readonly kind: 'json'; readonly payload: Buffer }

export interface PlannedMemory extends PlannedBase {
  readonly kind: 'memory';
  readonly source: MemorySource;
  /** Frame numbers to store, ascending: the frames that were not all zero when planned. */
  readonly frames: Uint32Array;
}

export type PlannedSection = PlannedJson | PlannedMemory;

export interface SnapshotPlan {
  readonly cellaVersion: Buffer;
  readonly header: Buffer;
  readonly sections: readonly PlannedSection[];
  /** Length of the whole file, trailer included. */
  readonly total: number;
  /** Frame records in all memory sections. */
  readonly memoryFrames: number;
}

/** Encodes and sizes everything (memory: counts the non-zero frames), or says what is wrong with the input. */
export function planSnapshot(header: SnapshotHeader, sections: readonly SectionInput[], cellaVersion: string): SnapshotResult<SnapshotPlan> {
  const version = nameBytes(cellaVersion, 'the Cella version');
  if (!version.ok) return version;
  const headerJson = jsonBytes(header, 'the header');
  if (!headerJson.ok) return headerJson;
  const planned: PlannedSection[] = [];
  const seen = new Set<string>();
  for (const section of sections) {
    if (seen.has(section.name)) return invalid(`two sections are named ${JSON.stringify(section.name)}`);
    seen.add(section.name);
    const p = planSection(section);
    if (!p.ok) return p;
    planned.push(p.value);
  }
  let total = HEADER.SIZE + version.value.length + headerJson.value.length + TRAILER.SIZE;
  let memoryFrames = 0;
  for (const s of planned) {
    total += SECTION.SIZE + s.name.length + s.payloadLength;
    if (s.kind === 'memory') memoryFrames += s.frames.length;
  }
  return snapOk({ cellaVersion: version.value, header: headerJson.value, sections: planned, total, memoryFrames });
}

function planSection(section: SectionInput): SnapshotResult<PlannedSection> {
  const name = nameBytes(section.name, 'a section name');
  if (!name.ok) return name;
  const flags = section.optional === true ? SECTION_FLAGS.OPTIONAL : 0;
  if (section.kind === 'json') {
    const payload = jsonBytes(section.value, `section ${section.name}`);
    if (!payload.ok) return payload;
    return snapOk({ kind: 'json', name: name.value, flags, payload: payload.value, payloadLength: payload.value.length });
  }
  const frames = planFrames(section.memory, section.name);
  if (!frames.ok) return frames;
  const payloadLength = MEMORY.SIZE + frames.value.length * RECORD.SIZE;
  return snapOk({ kind: 'memory', name: name.value, flags, source: section.memory, frames: frames.value, payloadLength });
}

function planFrames(source: MemorySource, name: string): SnapshotResult<Uint32Array> {
  const { size } = source;
  if (!Number.isInteger(size) || size <= 0 || size % FRAME_SIZE !== 0 || size > MAX_RAM_BYTES) {
    return invalid(`section ${name}: RAM size ${size} is not a positive multiple of ${FRAME_SIZE} up to 4 GiB`);
  }
  if (!isRamSource(source)) return frameSourceFrames(source, name);
  if (source.u8.length < size) return invalid(`section ${name}: u8 has ${source.u8.length} bytes, size says ${size}`);
  return snapOk(nonZeroFrames(source));
}

/** First pass over a frame iterator: checks order and sizes, keeps the numbers of the non-zero frames. */
function frameSourceFrames(source: FrameSource, name: string): SnapshotResult<Uint32Array> {
  const limit = source.size >>> FRAME_SHIFT;
  const found: number[] = [];
  let previous = -1;
  for (const { frame, data } of source.frames()) {
    if (!Number.isInteger(frame) || frame <= previous || frame >= limit) {
      return invalid(`section ${name}: frame ${frame} is out of order or outside ${limit} frames`);
    }
    if (data.length !== FRAME_SIZE) return invalid(`section ${name}: frame ${frame} has ${data.length} bytes, not ${FRAME_SIZE}`);
    previous = frame;
    if (!isZeroFrame(bufferOf(data), 0)) found.push(frame);
  }
  return snapOk(Uint32Array.from(found));
}

function nameBytes(text: string, what: string): SnapshotResult<Buffer> {
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length === 0 || bytes.length > MAX_NAME_BYTES) return invalid(`${what} must be 1..${MAX_NAME_BYTES} UTF-8 bytes`);
  return snapOk(bytes);
}

function jsonBytes(value: unknown, what: string): SnapshotResult<Buffer> {
  let text: string | undefined;
  try {
    text = JSON.stringify(value);
  } catch (e) {
    return invalid(`${what} is not JSON: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (text === undefined) return invalid(`${what} is not JSON (undefined, a function or a symbol)`);
  const bytes = Buffer.from(text, 'utf8');
  if (bytes.length > MAX_JSON_BYTES) return invalid(`${what} is ${bytes.length} bytes of JSON, more than ${MAX_JSON_BYTES}`);
  return snapOk(bytes);
}

function invalid<T>(message: string): SnapshotResult<T> {
  return snapErr('SNAPSHOT_INVALID_INPUT', `snapshot: ${message}`);
}
