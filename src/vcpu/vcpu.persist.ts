/** Plain-data (JSON-able) state of a vCPU: pc, registers, CSRs and counters. */
import type { CsrState } from './rv32/csr-file.js';

export interface VcpuState {
  /** Program counter (uint32). */
  pc: number;
  /** x0..x31 as int32. */
  x: number[];
  csr: CsrState;
  /** Retired instructions (cycle and instret counters, virtual time). */
  instret: number;
}
