/** The virtual clock: time derived from retired instructions, never from the host clock. */

/** Virtual nanoseconds per retired instruction (a 100 MHz virtual machine). */
export const NS_PER_INSTRUCTION = 10;

/** Frequency of the `time` CSR: one tick per retired instruction. */
export const TIME_HZ = 100_000_000;

/** Virtual nanoseconds after `instret` retired instructions. */
export const virtualNs = (instret: number): number => instret * NS_PER_INSTRUCTION;

/** Value of the `time` CSR after `instret` retired instructions. */
export const timeTicks = (instret: number): number => instret;
