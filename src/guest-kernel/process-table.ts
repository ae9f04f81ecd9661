/**
 * Processes of the PV kernel: guest programs started inside a running VM (a qrexec service, a
 * shell command), each with its own memory and address space (its page table over that memory:
 * no process maps another's frames, nor the kernel's) and a vCPU of the VM's domain that the
 * scheduler runs beside the kernel's. A process has a pid; its fds name kernel objects (pipes,
 * files, the console), so its whole state is data that a suspend file keeps. When it exits, the
 * fds it was given to close are closed (end of file for the other side) and the table tells
 * whoever waits on the pid.
 */
import { z } from 'zod';
import type { AddressSpace } from '../vcpu/address-space.js';
import { loadElf } from '../vcpu/elf/elf-loader.js';
import { GuestMemory } from '../vcpu/guest-memory.js';
import { Vcpu } from '../vcpu/vcpu.js';
import type { Ec } from '../hypervisor/ec.js';
import type { FdTable } from './fd-endpoint.js';
import { endpointRefSchema, type EndpointRef, type KernelObjects } from './kernel-objects.js';
import type { HypercallTable } from './hypercall-table.js';
import { PvProcess } from './pv-process.js';
import { SeededRandom } from './seeded-random.js';

/** A process's address space: small programs, so at most 16 MiB (and never more than the VM's). */
export const PROCESS_MEMORY_MIB = 16;

/** Creates a vCPU EC with an SC in the VM's domain (the VM monitor does it: it holds the capabilities). */
export type ThreadFactory = (vcpu: Vcpu) => { ec: Ec; release: () => void };

export interface ProcessFds {
  /** fd → endpoint, for reading and for writing. */
  readonly inputs: [number, EndpointRef][];
  readonly outputs: [number, EndpointRef][];
  /** Closed when the process exits (not a stderr it shares with others). */
  readonly closeOnExit: EndpointRef[];
}

/** Why a program did not start, and the exit status its start ends with. */
export interface SpawnFailure { readonly message: string; readonly status: number }

export interface SpawnRequest {
  readonly name: string;
  readonly program: Uint8Array;
  readonly argv: readonly string[];
  readonly envp: readonly string[];
  readonly fds: ProcessFds;
}

export interface ProcessEntry {
  readonly pid: number;
  readonly name: string;
  readonly memory: GuestMemory;
  readonly space: AddressSpace;
  readonly vcpu: Vcpu;
  readonly process: PvProcess;
  readonly ec: Ec;
  readonly fds: ProcessFds;
  readonly release: () => void;
}

const SP = 2;

export const processTableStateSchema = z.object({
  nextPid: z.number().int().positive(),
  processes: z.array(
    z.object({
      pid: z.number().int().positive(),
      name: z.string(),
      memoryBytes: z.number().int().positive(),
      vcpu: z.unknown(),
      pv: z.unknown(),
      fds: z.object({
        inputs: z.array(z.tuple([z.number().int(), endpointRefSchema])),
        outputs: z.array(z.tuple([z.number().int(), endpointRefSchema])),
        closeOnExit: z.array(endpointRefSchema),
      }),
    }),
  ),
});
export type ProcessTableState = z.infer<typeof processTableStateSchema>;

export class ProcessTable {
  private nextPid = 1;
  private readonly byPid = new Map<number, ProcessEntry>();
  readonly byEc = new Map<Ec, ProcessEntry>();
  /** Told of every exit (the job table: a shell stage or a service waits for it). */
  onExit: (pid: number, status: number) => void = () => undefined;

  constructor(
    private readonly objects: KernelObjects,
    private readonly newThread: ThreadFactory,
    private readonly hypercalls: HypercallTable,
    /** Wakes the VM's blocked vCPUs and relays (an exit closed pipes). */
    private readonly changed: () => void,
    private readonly stopEc: (ec: Ec) => void,
    private readonly startEc: (ec: Ec) => void,
  ) {}

  entries(): IterableIterator<ProcessEntry> {
    return this.byPid.values();
  }

  /**
   * Loads and starts a program: its pid, or why it could not start and the status its exec ends
   * with (126, as a shell reports a file it cannot run; 128 + signal when Linux kills the process
   * while loading it).
   */
  spawn(req: SpawnRequest, seed: number, memoryMiB: number): number | SpawnFailure {
    const memory = GuestMemory.ofMiB(Math.max(1, Math.min(PROCESS_MEMORY_MIB, memoryMiB)));
    const random = new SeededRandom(seed);
    const loaded = loadElf(memory, req.program, { argv: req.argv, envp: req.envp, random: random.bytes(16) });
    if ('code' in loaded) return { message: loaded.message, status: loaded.signal === undefined ? 126 : 128 + loaded.signal };
    const space = loaded.space;
    const process = new PvProcess(space, { fds: this.fdTable(req.fds), seed, brk: { start: loaded.brkStart, limit: loaded.brkLimit }, hypercalls: this.hypercalls });
    process.random.restore(random.save());
    const vcpu = new Vcpu(space, 0);
    vcpu.pc = loaded.entry | 0;
    vcpu.x[SP] = loaded.sp | 0;
    const entry = this.adopt(this.nextPid++, req.name, space, vcpu, process, req.fds);
    this.startEc(entry.ec);
    return entry.pid;
  }

  /** The process ended (exit, fault, kill): its fds close, its vCPU goes, its waiter hears `status`. */
  exit(pid: number, status: number): void {
    const entry = this.byPid.get(pid);
    if (!entry) return;
    this.byPid.delete(pid);
    this.byEc.delete(entry.ec);
    for (const ref of entry.fds.closeOnExit) closeRef(this.objects, ref);
    this.stopEc(entry.ec);
    entry.release();
    // its vCPU is gone with its EC: nothing reads the page table again, which goes back to the pool
    entry.space.dispose();
    this.changed();
    this.onExit(pid, status & 0xff);
  }

  /** Drops every process without closing its fds or telling anyone (suspend: their state is saved). */
  dropAll(stop: (ec: Ec) => void): void {
    for (const e of this.byPid.values()) {
      stop(e.ec);
      e.release();
    }
    this.byPid.clear();
    this.byEc.clear();
  }

  /** The state of every process; their memories and page tables are saved apart (`p<pid>/memory`, `p<pid>/pages`). */
  save(): ProcessTableState {
    return {
      nextPid: this.nextPid,
      processes: [...this.byPid.values()].map((e) => ({
        pid: e.pid, name: e.name, memoryBytes: e.memory.size, vcpu: e.vcpu.save(), pv: e.process.save(), fds: e.fds,
      })),
    };
  }

  /** Rebuilds the processes around their restored address spaces (memories and page tables) and starts their vCPUs. */
  restore(s: ProcessTableState, spaceOf: (pid: number) => AddressSpace): void {
    this.nextPid = s.nextPid;
    for (const p of s.processes) {
      const space = spaceOf(p.pid);
      const process = new PvProcess(space, { fds: this.fdTable(p.fds), seed: 0, brk: { start: 0, limit: 0 }, hypercalls: this.hypercalls });
      process.restore(p.pv as ReturnType<PvProcess['save']>);
      const vcpu = new Vcpu(space, 0);
      vcpu.restore(p.vcpu as ReturnType<Vcpu['save']>);
      const entry = this.adopt(p.pid, p.name, space, vcpu, process, p.fds);
      this.startEc(entry.ec);
    }
  }

  private adopt(pid: number, name: string, space: AddressSpace, vcpu: Vcpu, process: PvProcess, fds: ProcessFds): ProcessEntry {
    const { ec, release } = this.newThread(vcpu);
    const entry: ProcessEntry = { pid, name, memory: space.memory, space, vcpu, process, ec, fds, release };
    this.byPid.set(pid, entry);
    this.byEc.set(ec, entry);
    return entry;
  }

  private fdTable(fds: ProcessFds): FdTable {
    return {
      inputs: new Map(fds.inputs.map(([fd, ref]) => [fd, this.objects.input(ref)])),
      outputs: new Map(fds.outputs.map(([fd, ref]) => [fd, this.objects.output(ref)])),
    };
  }
}

/** Closes an endpoint named by `ref` (either direction). */
export function closeRef(objects: KernelObjects, ref: EndpointRef): void {
  if (ref.kind === 'pipe-r' || ref.kind === 'file-in' || ref.kind === 'empty') objects.input(ref).close();
  else objects.output(ref).close();
}
