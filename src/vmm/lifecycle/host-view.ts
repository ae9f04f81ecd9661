/**
 * The host as `xl vcpu-list` and xentop show it: the CPUs vCPUs run on, each one's load and the
 * vCPUs bound to it, and each VM's share of a host CPU over the last sample (CPU%). A sample is
 * taken every second while the manager runs (a walk over the live VMs' counters, nothing more).
 */
import { availableParallelism } from 'node:os';
import type { Hypervisor } from '../../hypervisor/hypervisor.js';
import type { VmInstance } from '../../guest-kernel/vm-instance.js';

/** How often CPU% is sampled. */
export const CPU_SAMPLE_MS = 1000;

export interface HostVcpu {
  vm: string;
  vcpu: number;
  state: string;
  instructions: number;
}

export interface HostCpuRow {
  cpu: number;
  /** Share of host time its worker ran guest code since it started (0..1); the event loop's share without workers. */
  load: number;
  worker_instructions: number;
  main_instructions: number;
  /** The vCPU on it now (with workers), by VM name and vCPU number. */
  running: { vm: string; vcpu: number } | null;
  vcpus: HostVcpu[];
}

export interface HostView {
  /** `workers`: each CPU is a worker thread; `event-loop`: vCPUs run on the manager's own thread. */
  mode: 'workers' | 'event-loop';
  host_cpus: number;
  cpus: HostCpuRow[];
  vms: { name: string; cpu: number; host_cpu_ms: number; cpu_percent: number }[];
}

export class CpuSampler {
  private timer: NodeJS.Timeout | null = null;
  private last = new Map<string, { ms: number; at: number }>();
  private percent = new Map<string, number>();

  constructor(
    private readonly hv: Hypervisor,
    /** The live VMs, by name. */
    private readonly live: () => Iterable<[string, VmInstance]>,
  ) {}

  start(): void {
    this.timer ??= setInterval(() => this.sample(), CPU_SAMPLE_MS);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** Takes a sample now: each live VM's host CPU time since the previous one, as a share of one CPU. */
  sample(now = performance.now()): void {
    const seen = new Map<string, { ms: number; at: number }>();
    for (const [name, instance] of this.live()) {
      const ms = hostMs(instance);
      const before = this.last.get(name);
      if (before && now > before.at) this.percent.set(name, Math.min(100, Math.max(0, ((ms - before.ms) / (now - before.at)) * 100)));
      seen.set(name, { ms, at: now });
    }
    for (const name of this.percent.keys()) if (!seen.has(name)) this.percent.delete(name);
    this.last = seen;
  }

  view(): HostView {
    const hv = this.hv;
    const pool = hv.pool;
    const cpus: HostCpuRow[] = Array.from({ length: hv.cpus }, (_, cpu) => ({
      cpu,
      load: pool ? round(pool.load(cpu)) : 0,
      worker_instructions: pool ? pool.instructions(cpu).worker : 0,
      main_instructions: pool ? pool.instructions(cpu).main : hv.scheduler.executed,
      running: null,
      vcpus: [],
    }));
    const vms: HostView['vms'] = [];
    for (const [name, instance] of this.live()) {
      const cpu = instance.pd.cpu;
      instance.ecs.forEach((ec, vcpu) => {
        cpus[cpu].vcpus.push({ vm: name, vcpu, state: ec.state, instructions: ec.vcpu?.instret ?? 0 });
        if (pool && pool.runningOn(cpu) === ec) cpus[cpu].running = { vm: name, vcpu };
      });
      vms.push({ name, cpu, host_cpu_ms: round(hostMs(instance)), cpu_percent: round(this.percent.get(name) ?? 0) });
    }
    return { mode: pool ? 'workers' : 'event-loop', host_cpus: availableParallelism(), cpus, vms };
  }
}

const hostMs = (instance: VmInstance): number => instance.ecs.reduce((t, ec) => t + ec.hostMs, 0);
const round = (v: number): number => Math.round(v * 1000) / 1000;
