/**
 * CPU and instruction rates per VM, from the stats websocket (/api/v1/stats: every VM's counters once
 * a second). Rates are differences between samples; each VM keeps the last 60 points. Sparklines
 * subscribe to one VM and redraw on its samples without re-rendering the list.
 */
import type { Schemas } from '../lib/api.js';
import { keepOpen, type Live } from '../lib/socket.js';

export const POINTS = 60;

export interface Series {
  /** Seconds (sample time). */
  t: number[];
  /** Host CPU in percent of one core. */
  cpu: number[];
  /** Instructions per second. */
  ips: number[];
}

type Sample = Schemas['HostStats']['vms'][number];

const series = new Map<string, Series>();
const previous = new Map<string, { at: number; instructions: number; cpu: number }>();
const listeners = new Map<string, Set<() => void>>();

export function seriesOf(name: string): Series | undefined {
  return series.get(name);
}

export function onSample(name: string, listener: () => void): () => void {
  let set = listeners.get(name);
  if (!set) listeners.set(name, (set = new Set()));
  set.add(listener);
  return () => set.delete(listener);
}

function push(s: Series, t: number, cpu: number, ips: number): void {
  s.t.push(t);
  s.cpu.push(cpu);
  s.ips.push(ips);
  if (s.t.length > POINTS) {
    s.t.shift();
    s.cpu.shift();
    s.ips.shift();
  }
}

function take(at: number, vm: Sample): void {
  const before = previous.get(vm.name);
  if (vm.memory_bytes === 0) {
    // no domain (halted, suspended): no rate to show
    previous.delete(vm.name);
    series.delete(vm.name);
    return;
  }
  previous.set(vm.name, { at, instructions: vm.instructions, cpu: vm.host_cpu_ms });
  if (!before || vm.instructions < before.instructions || at <= before.at) return;
  const seconds = (at - before.at) / 1000;
  let s = series.get(vm.name);
  if (!s) series.set(vm.name, (s = { t: [], cpu: [], ips: [] }));
  push(s, at / 1000, ((vm.host_cpu_ms - before.cpu) / (at - before.at)) * 100, (vm.instructions - before.instructions) / seconds);
}

function receive(data: string): void {
  const sample = JSON.parse(data) as Schemas['HostStats'];
  const seen = new Set<string>();
  for (const vm of sample.vms) {
    seen.add(vm.name);
    take(sample.at, vm);
  }
  for (const name of [...series.keys()]) if (!seen.has(name)) series.delete(name);
  for (const [name, set] of listeners) if (seen.has(name)) set.forEach((l) => l());
}

export function startStats(): () => void {
  const live: Live = keepOpen({ path: () => '/api/v1/stats?interval_ms=1000', onMessage: receive });
  return () => {
    live.stop();
    series.clear();
    previous.clear();
  };
}

/** 12.3 M/s style: instructions per second, short. */
export function rate(n: number): string {
  if (n >= 1e9) return `${(n / 1e9).toFixed(1)} G/s`;
  if (n >= 1e6) return `${(n / 1e6).toFixed(1)} M/s`;
  if (n >= 1e3) return `${(n / 1e3).toFixed(1)} k/s`;
  return `${Math.round(n)} /s`;
}
