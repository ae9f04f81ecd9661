/** The snapshot file layer: write a versioned, checksummed snapshot crash-safely, and read one back only once it verifies. */
export { trailerDigest, writeSnapshot, type WriteSnapshotOptions, type WriteSnapshotSummary } from './write-snapshot.js';
export { readSnapshot } from './read-snapshot.js';
export { VerifiedSnapshot } from './verified-snapshot.js';
export { MemorySectionReader, type FrameVisitor, type RamTarget } from './memory-section-reader.js';
export type { SectionInput, SnapshotHeader } from './snapshot-plan.js';
export type { FrameRef, FrameSource, MemorySource, RamSource } from './memory-source.js';
export type { ProgressCallback } from './chunk-writer.js';
export type { SectionInfo } from './verified-layout.js';
export { SECTION_KINDS, SECTION_FLAGS, type SectionKind } from './section-kinds.js';
export { SNAPSHOT_ERROR_CODES, type SnapshotError, type SnapshotErrorCode, type SnapshotResult } from './snapshot-errors.js';
export { FORMAT_VERSION } from './layout.js';
export { FORMAT_VERIFIERS } from './format-versions.js';
export { partPathOf } from './atomic-file.js';
