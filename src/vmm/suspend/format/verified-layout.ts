/** What verification found in a snapshot file: header, sections and where each payload lies. */
import type { SectionKind } from './section-kinds.js';

/** One section as stored; `offset` and `length` are the payload's place in the file. */
export interface SectionInfo {
  readonly name: string;
  /** 'unknown' for an optional section of a kind this Cella does not know (skipped). */
  readonly kind: SectionKind | 'unknown';
  readonly kindId: number;
  readonly flags: number;
  readonly offset: number;
  readonly length: number;
}

/** A memory section: the RAM size and where its frame records lie. */
export interface MemoryInfo {
  readonly ramSize: number;
  readonly recordCount: number;
  readonly recordsOffset: number;
}

export interface VerifiedLayout {
  readonly formatVersion: number;
  readonly cellaVersion: string;
  readonly header: unknown;
  /** File length, trailer included. */
  readonly bytes: number;
  readonly sections: readonly SectionInfo[];
  readonly json: ReadonlyMap<string, unknown>;
  readonly memory: ReadonlyMap<string, MemoryInfo>;
}
