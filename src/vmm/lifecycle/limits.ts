import { totalmem } from 'node:os';

/** Global resource caps ("beancounters", seed 002): how many VMs may exist and run, and how much memory running VMs may claim. */
export interface Limits {
  /** VMs that may be defined (create beyond is refused). */
  readonly maxVms: number;
  /** VMs that may run at once. */
  readonly maxRunningVms: number;
  /** Sum of the `memory` of running VMs, in MiB (guest pages cost host memory only once touched). */
  readonly maxMemoryMiB: number;
}

/** What the host keeps for itself: 10% of its memory, at least 1 GiB. */
export function hostMemoryCapMiB(totalBytes = totalmem()): number {
  const total = Math.floor(totalBytes / (1024 * 1024));
  return Math.max(64, total - Math.max(1024, Math.floor(total / 10)));
}

/** By default running VMs may claim the host's memory less a reserve, not more than the host has. */
export const DEFAULT_LIMITS: Limits = { maxVms: 10_000, maxRunningVms: 2_000, maxMemoryMiB: hostMemoryCapMiB() };

export function limitsFromEnv(env: NodeJS.ProcessEnv = process.env): Limits {
  const num = (name: string, fallback: number): number => {
    const raw = env[name];
    if (raw === undefined) return fallback;
    const v = Number(raw);
    if (!Number.isInteger(v) || v < 1) throw new Error(`${name} must be a positive integer, not '${raw}'`);
    return v;
  };
  return {
    maxVms: num('CELLA_MAX_VMS', DEFAULT_LIMITS.maxVms),
    maxRunningVms: num('CELLA_MAX_RUNNING_VMS', DEFAULT_LIMITS.maxRunningVms),
    maxMemoryMiB: num('CELLA_MAX_MEMORY_MIB', DEFAULT_LIMITS.maxMemoryMiB),
  };
}
