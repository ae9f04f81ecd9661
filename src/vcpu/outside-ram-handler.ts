/** The pluggable slow path for guest accesses outside RAM (device windows, mapped foreign frames). */
import { ACCESS_FAULT, type AccessSize } from './memory-layout.js';

/**
 * Serves guest loads and stores whose address is not in RAM.
 * `read` returns the zero-extended value (0..2^32-1) or ACCESS_FAULT; `write` returns false to fault.
 */
export interface OutsideRamHandler {
  read(addr: number, size: AccessSize): number;
  write(addr: number, size: AccessSize, value: number): boolean;
}

/** The handler of a memory with nothing mapped outside RAM: every access faults. */
export const NOTHING_OUTSIDE_RAM: OutsideRamHandler = {
  read: () => ACCESS_FAULT,
  write: () => false,
};
