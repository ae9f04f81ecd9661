/**
 * Host CPUs of the hypervisor (issue 15): how many CPU workers (`CELLA_CPUS`), which CPUs a VM may
 * run on (an affinity in Xen vcpu-pin syntax) and where a new vCPU goes (the least loaded allowed
 * CPU). Pure functions, used by the hypervisor's CPU pool and the manager's settings.
 */

/** A bad `CELLA_CPUS` or affinity, with the reason. */
export interface CpuSetError { readonly code: 'CPU_SET_INVALID'; readonly message: string }

const bad = (message: string): CpuSetError => ({ code: 'CPU_SET_INVALID', message });

/** Upper bound of CELLA_CPUS, well above any host this runs on. */
export const MAX_CPUS = 256;

/**
 * CPU workers to start: `CELLA_CPUS` when set (an integer 0..MAX_CPUS; 0 runs the vCPUs on the
 * manager's event loop, as `cella run-elf` does), else the host's available parallelism minus one
 * (the main thread's), at least 1.
 */
export function cpuCount(env: string | undefined, parallelism: number): number | CpuSetError {
  if (env === undefined || env.trim() === '') return Math.max(1, Math.floor(parallelism) - 1);
  const s = env.trim();
  const why = `CELLA_CPUS=${env}: expected a whole number of CPU workers from 0 (vCPUs on the event loop) to ${MAX_CPUS}`;
  if (!/^\d+$/.test(s)) return bad(why);
  const n = Number(s);
  if (n > MAX_CPUS) return bad(why);
  return n;
}

/**
 * The CPUs (sorted, none twice) an affinity allows out of `cpus`: `all`, or a comma list of CPU
 * numbers and ranges `a-b`, where `^n` or `^a-b` takes CPUs out again (Xen's vcpu-pin syntax).
 * An affinity that names a CPU the host does not have, or leaves none, is refused.
 */
export function parseAffinity(spec: string, cpus: number): number[] | CpuSetError {
  const allowed = new Set<number>();
  const items = spec.split(',').map((s) => s.trim());
  if (items.length === 0 || items.some((s) => s === '')) return bad(`affinity "${spec}": an empty item`);
  for (const item of items) {
    if (item === 'all') { for (let c = 0; c < cpus; c++) allowed.add(c); continue; }
    const m = /^(\^?)(\d+)(?:-(\d+))?$/.exec(item);
    if (!m) return bad(`affinity "${spec}": "${item}" is not a CPU, a range a-b, ^CPU or "all"`);
    const from = Number(m[2]), to = m[3] === undefined ? from : Number(m[3]);
    if (to < from) return bad(`affinity "${spec}": range ${item} ends before it starts`);
    if (to >= cpus) return bad(`affinity "${spec}": CPU ${to} does not exist (CPUs 0-${cpus - 1})`);
    for (let c = from; c <= to; c++) {
      if (m[1] === '^') allowed.delete(c);
      else allowed.add(c);
    }
  }
  if (allowed.size === 0) return bad(`affinity "${spec}" leaves no CPU`);
  return [...allowed].sort((a, b) => a - b);
}

/**
 * The CPU for a new vCPU: the least loaded (`load[c]`: vCPUs bound to CPU c) of `allowed` (null: any
 * CPU), the lowest number on a tie, so placement is deterministic.
 */
export function placeVcpu(load: readonly number[], allowed: readonly number[] | null): number {
  const candidates = allowed ?? load.map((_, c) => c);
  let best = -1;
  for (const c of candidates) {
    if (c < 0 || c >= load.length) continue;
    if (best < 0 || load[c] < load[best]) best = c;
  }
  if (best < 0) throw new RangeError(`no CPU among ${JSON.stringify(candidates)} of ${load.length}`);
  return best;
}
