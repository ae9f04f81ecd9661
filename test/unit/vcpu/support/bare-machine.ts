/** A bare vCPU with hand-assembled code at the start of RAM, for unit tests. */
import { AddressSpace } from '../../../../src/vcpu/address-space.js';
import { GuestMemory } from '../../../../src/vcpu/guest-memory.js';
import { RAM_BASE } from '../../../../src/vcpu/memory-layout.js';
import { Vcpu } from '../../../../src/vcpu/vcpu.js';
import { wordsToBytes } from '../../../../src/vcpu/elf/elf-writer.js';

export { enc, li } from '../../../../src/vcpu/rv32/encode.js';

/** Address of the scratch data frame (one frame above the code). */
export const DATA = RAM_BASE + 0x10000;

export function bareMachine(code: readonly number[], mib = 1): { memory: GuestMemory; vcpu: Vcpu } {
  const memory = GuestMemory.ofMiB(mib);
  memory.write(RAM_BASE, wordsToBytes(code));
  const vcpu = new Vcpu(AddressSpace.identity(memory));
  vcpu.pc = RAM_BASE | 0;
  return { memory, vcpu };
}

/** Register numbers by ABI name. */
export const R = { zero: 0, ra: 1, sp: 2, t0: 5, t1: 6, t2: 7, s0: 8, s1: 9, a0: 10, a1: 11, a2: 12, a3: 13, a7: 17 } as const;
