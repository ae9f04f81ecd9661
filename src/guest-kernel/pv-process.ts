/** A PV guest process: serves its vCPU's ECALLs (Linux syscalls and Cella hypercalls) against its fds. */
import type { AddressSpace } from '../vcpu/address-space.js';
import type { Vcpu } from '../vcpu/vcpu.js';
import { negErrno } from './errno.js';
import type { FdTable } from './fd-endpoint.js';
import { HypercallTable } from './hypercall-table.js';
import { isHypercall } from './hypercall-numbers.js';
import { LINUX_SYSCALLS } from './linux-syscall-table.js';
import type { PvProcessState } from './pv-process.persist.js';
import { SeededRandom } from './seeded-random.js';
import type { ProgramBreak, SyscallContext, SyscallHandler } from './syscall-context.js';
import { returns, type SyscallOutcome } from './syscall-outcome.js';

export interface PvProcessOptions {
  readonly fds: FdTable;
  /** Seed of the VM's deterministic random generator. */
  readonly seed: number;
  readonly brk: { readonly start: number; readonly limit: number };
  /** REALTIME at virtual time 0, in ns since the epoch (default 0). */
  readonly epochNs?: number;
  /** Hypercall table, shared with the rest of the VMM (default: a fresh one). */
  readonly hypercalls?: HypercallTable;
}

const A0 = 10, A7 = 17;

const bump = (table: Record<string, number>, nr: number): void => {
  table[nr >>> 0] = (table[nr >>> 0] ?? 0) + 1;
};

export class PvProcess {
  readonly random: SeededRandom;
  readonly hypercalls: HypercallTable;
  readonly brk: ProgramBreak;
  private epochNs: number;
  exitStatus: number | null = null;
  private syscalls: Record<string, number> = {};
  private unknown: Record<string, number> = {};

  private readonly fds: FdTable;

  constructor(readonly space: AddressSpace, options: PvProcessOptions) {
    this.fds = options.fds;
    this.random = new SeededRandom(options.seed);
    this.hypercalls = options.hypercalls ?? new HypercallTable();
    this.brk = { start: options.brk.start, current: options.brk.start, limit: options.brk.limit };
    this.epochNs = options.epochNs ?? 0;
  }

  /** Serves the ECALL `vcpu` stopped at; on return it completes the ECALL, on block it leaves it to rerun. */
  handleEcall(vcpu: Vcpu): SyscallOutcome {
    const nr = vcpu.x[A7];
    const args = Array.from(vcpu.x.subarray(A0, A0 + 6));
    const handler = this.handlerOf(nr);
    const outcome = handler(this.context(vcpu), args);
    if (outcome.kind === 'block') return outcome;
    bump(this.syscalls, nr);
    if (outcome.kind === 'exit') { this.exitStatus = outcome.status; vcpu.completeEcall(); return outcome; }
    vcpu.completeEcall(outcome.value);
    return outcome;
  }

  private handlerOf(nr: number): SyscallHandler {
    const handler = isHypercall(nr) ? this.hypercalls.lookup(nr) : LINUX_SYSCALLS.get(nr);
    if (handler !== undefined) return handler;
    return () => { bump(this.unknown, nr); return returns(negErrno('ENOSYS')); };
  }

  private context(vcpu: Vcpu): SyscallContext {
    return { memory: this.space, vcpu, fds: this.fds, random: this.random, brk: this.brk, epochNs: this.epochNs };
  }

  /** Completed ECALLs by number. */
  syscallCounts(): Readonly<Record<string, number>> {
    return this.syscalls;
  }

  /** ECALLs answered -ENOSYS, by number. */
  unknownCounts(): Readonly<Record<string, number>> {
    return this.unknown;
  }

  save(): PvProcessState {
    return {
      brk: { ...this.brk }, random: this.random.save(), epochNs: this.epochNs, exitStatus: this.exitStatus,
      syscalls: { ...this.syscalls }, unknown: { ...this.unknown },
    };
  }

  restore(s: PvProcessState): void {
    Object.assign(this.brk, s.brk);
    this.random.restore(s.random);
    this.epochNs = s.epochNs;
    this.exitStatus = s.exitStatus;
    this.syscalls = { ...s.syscalls };
    this.unknown = { ...s.unknown };
  }
}
