/** Runs a guest program's vCPU, serving its ECALLs, until it exits, faults, blocks or hits a limit. */
import type { TraceFn } from '../vcpu/vcpu.js';
import type { VcpuExit } from '../vcpu/vcpu-exit.js';
import type { GuestProgram } from './guest-program.js';

export type RunOutcome =
  | { readonly kind: 'exited'; readonly status: number }
  /** The vCPU stopped with a fault, a breakpoint or a WFI nothing will wake. */
  | { readonly kind: 'stopped'; readonly exit: VcpuExit }
  | { readonly kind: 'blocked' }
  | { readonly kind: 'limit' };

export interface RunOptions {
  /** Stop after this many instructions in total (default: no limit). */
  readonly maxInstructions?: number;
  /** Instructions per run() call (default 50 million). */
  readonly slice?: number;
  readonly trace?: TraceFn;
}

/** Runs until the program exits or stops; instructions are counted in `program.vcpu.instret`. */
export function runToExit(program: GuestProgram, options: RunOptions = {}): RunOutcome {
  const { vcpu, process } = program;
  const limit = options.maxInstructions ?? Number.MAX_SAFE_INTEGER;
  const slice = options.slice ?? 50_000_000;
  const start = vcpu.instret;
  for (;;) {
    const left = limit - (vcpu.instret - start);
    if (left <= 0) return { kind: 'limit' };
    const exit = vcpu.run(Math.min(slice, left), options.trace);
    if (exit.reason === 'budget') continue;
    if (exit.reason !== 'ecall') return { kind: 'stopped', exit };
    const outcome = process.handleEcall(vcpu);
    if (outcome.kind === 'exit') return { kind: 'exited', status: outcome.status };
    if (outcome.kind === 'block') return { kind: 'blocked' };
  }
}
