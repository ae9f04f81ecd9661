/** Plain-data (JSON-able) state of a PV process: program break, random generator, exit, counters. */
import type { SeededRandomState } from './seeded-random.js';

export interface PvProcessState {
  brk: { start: number; current: number; limit: number };
  random: SeededRandomState;
  epochNs: number;
  /** Exit status once the process exited, else null. */
  exitStatus: number | null;
  /** Completed ECALLs by number (served and -ENOSYS alike). */
  syscalls: Record<string, number>;
  /** ECALLs answered -ENOSYS, by number. */
  unknown: Record<string, number>;
}
