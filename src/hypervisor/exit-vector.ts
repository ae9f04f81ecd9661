/**
 * Where a vCPU exit is delivered: the portal at the EC's event selector base plus a vector,
 * as NOVA delivers exceptions and VM exits (§4.7). Exceptions use the RISC-V mcause number;
 * intercepts (WFI) and NOVA's STARTUP and RECALL take the vectors above them.
 */
import type { VcpuExit } from '../vcpu/vcpu-exit.js';

export const ExitVector = {
  BREAKPOINT: 3,
  ECALL_M: 11,
  WFI: 0x20,
  STARTUP: 0xfe,
  RECALL: 0xff,
} as const;

/** Event selectors per EC (exceptions and intercepts). */
export const NUM_EVENT_SELECTORS = 0x100;

/** The vectors a VMM installs portals for. */
export const EXIT_VECTORS: readonly number[] = [
  0, 1, 2, ExitVector.BREAKPOINT, 4, 5, 6, 7, 8, 9, ExitVector.ECALL_M, 12, 13, 15, ExitVector.WFI, ExitVector.RECALL,
];

export function exitVector(exit: VcpuExit): number {
  switch (exit.reason) {
    case 'ecall':
      return ExitVector.ECALL_M;
    case 'wfi':
      return ExitVector.WFI;
    case 'breakpoint':
      return ExitVector.BREAKPOINT;
    case 'fault':
      return exit.cause;
    case 'budget':
      return ExitVector.RECALL;
  }
}
