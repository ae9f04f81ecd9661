/** A snapshot file that passed verification, held open: its header, its JSON sections and readers for its memory. */
import type { FileHandle } from 'node:fs/promises';
import { MemorySectionReader } from './memory-section-reader.js';
import { snapErr, snapOk, type SnapshotResult } from './snapshot-errors.js';
import type { SectionInfo, VerifiedLayout } from './verified-layout.js';

export class VerifiedSnapshot {
  private closed = false;

  constructor(
    private readonly file: FileHandle,
    readonly path: string,
    private readonly layout: VerifiedLayout,
  ) {}

  get formatVersion(): number {
    return this.layout.formatVersion;
  }

  /** The Cella version that wrote the file. */
  get cellaVersion(): string {
    return this.layout.cellaVersion;
  }

  /** The JSON header object the writer was given (the caller validates its shape). */
  get header(): unknown {
    return this.layout.header;
  }

  /** File length in bytes. */
  get bytes(): number {
    return this.layout.bytes;
  }

  /** Every section in file order. */
  get sections(): readonly SectionInfo[] {
    return this.layout.sections;
  }

  /** The parsed value of a JSON section. */
  json(name: string): SnapshotResult<unknown> {
    if (!this.layout.json.has(name)) return this.missing(name, 'JSON');
    return snapOk(this.layout.json.get(name));
  }

  /** A reader for a memory section (reads the held file, not the path, so a later rename cannot swap it). */
  memory(name: string): SnapshotResult<MemorySectionReader> {
    const info = this.layout.memory.get(name);
    if (!info) return this.missing(name, 'memory');
    return snapOk(new MemorySectionReader(this.file, this.path, name, info));
  }

  /** Closes the file; memory readers fail with SNAPSHOT_IO afterwards. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    await this.file.close().catch(() => undefined);
  }

  private missing<T>(name: string, kind: string): SnapshotResult<T> {
    return snapErr('SNAPSHOT_NO_SECTION', `snapshot ${this.path}: no ${kind} section named ${JSON.stringify(name)}`);
  }
}
