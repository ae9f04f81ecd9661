/** A guest program started alone on one vCPU: memory, vCPU and PV process, loaded from an ELF. */
import { loadElf } from '../vcpu/elf/elf-loader.js';
import type { ElfError } from '../vcpu/elf/elf-error.js';
import type { AddressSpace } from '../vcpu/address-space.js';
import { GuestMemory } from '../vcpu/guest-memory.js';
import { Vcpu } from '../vcpu/vcpu.js';
import type { FdTable } from './fd-endpoint.js';
import { PvProcess } from './pv-process.js';
import { SeededRandom } from './seeded-random.js';

export interface GuestProgramOptions {
  readonly argv: readonly string[];
  readonly envp?: readonly string[];
  readonly fds: FdTable;
  /** Guest RAM in MiB (default 64). */
  readonly memoryMiB?: number;
  /** Seed of the deterministic random generator (default 0). */
  readonly seed?: number;
}

export interface GuestProgram {
  readonly memory: GuestMemory;
  /** The program's address space over `memory`. */
  readonly space: AddressSpace;
  readonly vcpu: Vcpu;
  readonly process: PvProcess;
}

const SP = 2;

/** Loads `image` into fresh memory and sets up vCPU 0 at its entry with the Linux initial stack. */
export function startGuestProgram(image: Uint8Array, options: GuestProgramOptions): GuestProgram | ElfError {
  const memory = GuestMemory.ofMiB(options.memoryMiB ?? 64);
  const seed = options.seed ?? 0;
  const random = new SeededRandom(seed);
  const loaded = loadElf(memory, image, { argv: options.argv, envp: options.envp, random: random.bytes(16) });
  if ('code' in loaded) return loaded;
  const space = loaded.space;
  const process = new PvProcess(space, { fds: options.fds, seed, brk: { start: loaded.brkStart, limit: loaded.brkLimit } });
  process.random.restore(random.save());
  const vcpu = new Vcpu(space, 0);
  vcpu.pc = loaded.entry | 0;
  vcpu.x[SP] = loaded.sp | 0;
  return { memory, space, vcpu, process };
}
