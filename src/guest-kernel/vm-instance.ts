/**
 * A running VM as the VMM sees it: its domain (PD) and vCPU ECs, the PV kernel process on vCPU 0,
 * its console and counters. Exits of its vCPUs arrive here through its portal.
 */
import type { VcpuExit } from '../vcpu/vcpu-exit.js';
import type { Ec } from '../hypervisor/ec.js';
import type { Hypervisor } from '../hypervisor/hypervisor.js';
import type { Pd } from '../hypervisor/pd.js';
import type { ExitAction } from '../hypervisor/pt.js';
import { Hypercall } from './hypercall-numbers.js';
import type { PvProcess } from './pv-process.js';
import { BLOCK, returns } from './syscall-outcome.js';
import type { ConsoleRing } from './console-ring.js';
import type { GuestImage } from './guest-image.js';
import type { QrexecAgent } from '../qrexec/agent.js';
import type { PvServices } from './pv-services.js';
import type { KernelObjects } from './kernel-objects.js';
import type { ProcessTable } from './process-table.js';
import type { JobTable } from './jobs.js';
import type { GuestCalls } from './hypercalls/qrexec-hypercalls.js';
import type { VmSpec } from './vm-spec.js';
import { GuestKernel, type KernelEnv, type KernelStart } from './guest-kernel.js';

/** Wake reasons of sched_block / control_poll (guests/sdk/cella.h). */
export const Wake = { EVENT: 0x1, SHUTDOWN: 0x2 } as const;
/** sched_shutdown reasons (Xen's SHUTDOWN_*). */
export const ShutdownReason = { POWEROFF: 0, REBOOT: 1, SUSPEND: 2, CRASH: 3 } as const;

/** How a guest ended. */
export type GuestEnd =
  | { readonly kind: 'shutdown'; readonly status: number }
  | { readonly kind: 'crashed'; readonly reason: string; readonly cause?: number; readonly pc?: number; readonly tval?: number };

export type EndListener = (end: GuestEnd) => void;

export class VmInstance {
  shutdownRequested = false;
  /** Pending event bits a blocked guest is woken for (event channels set them). */
  pendingWake = 0;
  readonly exitsByReason: Record<string, number> = {};
  ended: GuestEnd | null = null;
  /**
   * The PV kernel's runtime (objects, processes, jobs, services, qrexec agent): built whole when the
   * domain boots or resumes (startKernel), null while the domain is suspended.
   */
  kernel: GuestKernel | null = null;
  /** XenStore watch events waiting for xs_read_watch. */
  readonly watches: { events: { path: string; token: string }[] } = { events: [] };
  private readonly endListeners = new Set<EndListener>();

  constructor(
    readonly hv: Hypervisor,
    readonly pd: Pd,
    readonly ecs: readonly Ec[],
    readonly process: PvProcess,
    readonly console: ConsoleRing,
    /** Root selectors of this VM's objects, revoked when it is destroyed. */
    readonly rootSelectors: readonly number[],
    /** The guest image the VM booted: its programs and service table. */
    readonly image: GuestImage,
    /** The PV kernel's small in-memory filesystem (VMShell redirections). */
    readonly files: Map<string, Uint8Array>,
    /** What the VM was built from (a suspend file keeps it). */
    readonly spec: VmSpec,
  ) {
    const hc = process.hypercalls;
    hc.register(Hypercall.sched_block, () => (this.wakeBits() !== 0 ? returns(this.takeWake()) : BLOCK));
    hc.register(Hypercall.control_poll, () => returns(this.wakeBits()));
    hc.register(Hypercall.sched_shutdown, (_ctx, args) => {
      const reason = args[0] ?? 0;
      this.end(reason === ShutdownReason.CRASH ? { kind: 'crashed', reason: 'the guest reported a crash (sched_shutdown)' } : { kind: 'shutdown', status: 0 });
      return { kind: 'exit', status: 0 };
    });
  }

  /** Builds the kernel's runtime over `objects`, fresh or from a suspend file; the one in place is replaced. */
  startKernel(objects: KernelObjects, env: KernelEnv, start: KernelStart): GuestKernel {
    this.kernel = new GuestKernel(this, objects, env, start);
    this.kernel.begin();
    return this.kernel;
  }

  /** The kernel's runtime; it is an error to ask while the domain is suspended. */
  private running(): GuestKernel {
    if (this.kernel === null) throw new Error(`domain ${this.pd.id} has no kernel runtime (suspended)`);
    return this.kernel;
  }

  get objects(): KernelObjects {
    return this.running().objects;
  }

  get processes(): ProcessTable {
    return this.running().processes;
  }

  get jobs(): JobTable {
    return this.running().jobs;
  }

  get services(): PvServices {
    return this.running().services;
  }

  get guestCalls(): GuestCalls {
    return this.running().guestCalls;
  }

  get agent(): QrexecAgent {
    return this.running().agent;
  }

  onEnd(listener: EndListener): void {
    this.endListeners.add(listener);
  }

  /** The portal handler: what to do with a vCPU after its exit. */
  handleExit(ec: Ec, exit: VcpuExit): ExitAction {
    this.exitsByReason[exit.reason] = (this.exitsByReason[exit.reason] ?? 0) + 1;
    if (this.ended) return 'stop';
    switch (exit.reason) {
      case 'ecall':
        return this.syscall(ec);
      case 'wfi':
        return this.wakeBits() !== 0 ? 'resume' : 'block';
      case 'budget':
        return 'resume';
      case 'breakpoint':
      case 'fault': {
        // a process's fault kills the process (SIGTRAP / SIGSEGV), the kernel's ends the VM
        const other = this.processes.byEc.get(ec);
        if (other) this.processes.exit(other.pid, exit.reason === 'fault' ? 128 + 11 : 128 + 5);
        else if (exit.reason === 'fault') this.crash(exit);
        else this.end({ kind: 'crashed', reason: `breakpoint at pc 0x${(exit.pc >>> 0).toString(16)} with no debugger`, pc: exit.pc });
        return 'stop';
      }
    }
  }

  /** A fault the guest did not handle: the VM ends crashed, with the cause kept. */
  crash(exit: Extract<VcpuExit, { reason: 'fault' }>): void {
    const hex = (v: number) => `0x${(v >>> 0).toString(16).padStart(8, '0')}`;
    this.end({
      kind: 'crashed',
      reason: `unhandled fault (mcause ${exit.cause}) at pc ${hex(exit.pc)}, tval ${hex(exit.tval)}`,
      cause: exit.cause,
      pc: exit.pc >>> 0,
      tval: exit.tval >>> 0,
    });
  }

  private syscall(ec: Ec): ExitAction {
    if (ec.vcpu === null) return 'stop';
    const other = this.processes.byEc.get(ec);
    const outcome = (other?.process ?? this.process).handleEcall(ec.vcpu);
    if (outcome.kind === 'block') return 'block';
    if (outcome.kind === 'exit') {
      if (other) this.processes.exit(other.pid, outcome.status & 0xff);
      else this.end({ kind: 'shutdown', status: outcome.status });
      return 'stop';
    }
    return 'resume';
  }

  /** Asks the guest to shut down: it sees CELLA_WAKE_SHUTDOWN, and blocked vCPUs wake. */
  requestShutdown(): void {
    this.shutdownRequested = true;
    this.wakeAll();
  }

  /** Raises event bits for the guest and wakes its blocked vCPUs. */
  raise(bits: number): void {
    this.pendingWake |= bits;
    this.wakeAll();
  }

  /** A XenStore watch of this domain fired: queue it and wake a vCPU waiting in xs_read_watch. */
  watchFired(path: string, token: string): void {
    if (this.watches.events.length < 1024) this.watches.events.push({ path, token });
    this.wakeAll();
  }

  private readonly changeListeners = new Set<() => void>();
  /** The kernel runtime's listeners on this VM, removed when it is taken down for a suspend. */
  readonly kernelStops: (() => void)[] = [];

  detachKernel(): void {
    for (const stop of this.kernelStops.splice(0)) stop();
  }

  /** Something a blocked vCPU may wait for changed (a pipe, a stream): let them retry, and tell the kernel's relays. */
  wakeBlocked(): void {
    this.wakeAll();
    for (const fn of [...this.changeListeners]) fn();
  }

  /** Kernel code that waits on any of the VM's streams (the qrexec relays of its processes' fds). */
  onChange(fn: () => void): () => void {
    this.changeListeners.add(fn);
    return () => void this.changeListeners.delete(fn);
  }

  private wakeAll(): void {
    for (const ec of this.ecs) if (ec.state === 'blocked' || ec.state === 'paused') this.hv.wake(ec);
  }

  private wakeBits(): number {
    return this.pendingWake | (this.shutdownRequested ? Wake.SHUTDOWN : 0);
  }

  private takeWake(): number {
    const bits = this.wakeBits();
    this.pendingWake = 0;
    return bits;
  }

  /** Records how the guest ended (once) and tells the listeners. */
  end(how: GuestEnd): void {
    if (this.ended) return;
    this.ended = how;
    for (const ec of this.ecs) if (ec.sc) this.hv.scheduler.dequeue(ec.sc);
    for (const listener of this.endListeners) listener(how);
  }

  /** Instructions retired by all vCPUs. */
  instructions(): number {
    let n = 0;
    for (const ec of this.ecs) n += ec.vcpu?.instret ?? 0;
    return n;
  }
}
