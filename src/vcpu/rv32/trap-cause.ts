/** Exception and interrupt cause codes (mcause values) of the RISC-V privileged spec. */

export const TrapCause = {
  INSTRUCTION_ADDRESS_MISALIGNED: 0,
  INSTRUCTION_ACCESS_FAULT: 1,
  ILLEGAL_INSTRUCTION: 2,
  BREAKPOINT: 3,
  LOAD_ADDRESS_MISALIGNED: 4,
  LOAD_ACCESS_FAULT: 5,
  STORE_ADDRESS_MISALIGNED: 6,
  STORE_ACCESS_FAULT: 7,
  ECALL_FROM_U: 8,
  ECALL_FROM_M: 11,
} as const;

export type TrapCause = (typeof TrapCause)[keyof typeof TrapCause];

/** Interrupt numbers; mcause has bit 31 set for these. */
export const InterruptCause = { MACHINE_SOFTWARE: 3, MACHINE_TIMER: 7, MACHINE_EXTERNAL: 11 } as const;

const NAMES: Record<number, string> = {
  0: 'instruction address misaligned', 1: 'instruction access fault', 2: 'illegal instruction',
  3: 'breakpoint', 4: 'load address misaligned', 5: 'load access fault',
  6: 'store/AMO address misaligned', 7: 'store/AMO access fault', 8: 'environment call from U-mode',
  11: 'environment call from M-mode',
};

/** Human-readable name of an exception cause. */
export const trapCauseName = (cause: number): string => NAMES[cause] ?? `cause ${cause}`;
