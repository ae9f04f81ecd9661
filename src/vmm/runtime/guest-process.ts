/**
 * Processes of the PV kernel: a guest program started inside a running VM (a qrexec service, a
 * VMShell command), with its own address space and a vCPU of the VM's domain that the scheduler
 * runs beside the kernel's. Its fds are endpoints the caller joins (pipes, a data stream); they
 * close when it exits, which is end of file for the other side.
 */
import { loadElf } from '../../vcpu/elf/elf-loader.js';
import { GuestMemory } from '../../vcpu/guest-memory.js';
import { Vcpu } from '../../vcpu/vcpu.js';
import type { Ec } from '../kernel/ec.js';
import type { FdTable } from '../pv/fd-endpoint.js';
import { PvProcess } from '../pv/pv-process.js';
import { SeededRandom } from '../pv/seeded-random.js';
import type { VmInstance } from './vm-instance.js';

/** A process's address space: small programs, so at most 16 MiB (and never more than the VM's). */
export const PROCESS_MEMORY_MIB = 16;

export interface SpawnRequest {
  readonly program: Uint8Array;
  readonly argv: readonly string[];
  readonly envp: readonly string[];
  readonly fds: FdTable;
}

export interface Spawned {
  /** Resolves with the exit status (0–255; 128+n when killed by fault n). */
  readonly exited: Promise<number>;
  kill(): void;
}

/** Creates a vCPU EC with an SC in the VM's domain (the VM monitor does it: it holds the capabilities). */
export type ThreadFactory = (vcpu: Vcpu) => { ec: Ec; release: () => void };

const SP = 2;

export function spawnProcess(vm: VmInstance, newThread: ThreadFactory, req: SpawnRequest, seed: number, memoryMiB: number): Spawned | string {
  const memory = GuestMemory.ofMiB(Math.max(1, Math.min(PROCESS_MEMORY_MIB, memoryMiB)));
  const random = new SeededRandom(seed);
  const loaded = loadElf(memory, req.program, { argv: req.argv, envp: req.envp, random: random.bytes(16) });
  if ('code' in loaded) return loaded.message;
  const process = new PvProcess(memory, { fds: req.fds, seed, brk: { start: loaded.brkStart, limit: loaded.brkLimit }, hypercalls: vm.process.hypercalls });
  process.random.restore(random.save());
  const vcpu = new Vcpu(memory, 0);
  vcpu.pc = loaded.entry | 0;
  vcpu.x[SP] = loaded.sp | 0;
  const { ec, release } = newThread(vcpu);
  let resolve!: (status: number) => void;
  const exited = new Promise<number>((r) => (resolve = r));
  let done = false;
  const exit = (status: number): void => {
    if (done) return;
    done = true;
    vm.processes.delete(ec);
    closeAll(req.fds);
    vm.hv.pause(ec);
    release();
    vm.wakeBlocked();
    resolve(status);
  };
  vm.processes.set(ec, { process, exit });
  vm.hv.startEc(ec);
  return { exited, kill: () => exit(128 + 9) };
}

function closeAll(fds: FdTable): void {
  for (const endpoint of [...fds.inputs.values(), ...fds.outputs.values()]) {
    (endpoint as { close?: () => void }).close?.();
  }
}
