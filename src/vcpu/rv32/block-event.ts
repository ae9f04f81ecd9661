/** Events compiled blocks and the interpreter leave in `vcpu.event` for the run loop. */

export const BlockEvent = { NONE: 0, EXCEPTION: 1, ECALL: 2, WFI: 3, CHECK_INTERRUPTS: 4 } as const;

export type BlockEvent = (typeof BlockEvent)[keyof typeof BlockEvent];
