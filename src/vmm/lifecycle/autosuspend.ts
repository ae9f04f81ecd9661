/**
 * autosuspend_idle_s: a VM idle that long is suspended to a file. Idle means every vCPU is blocked
 * or stopped, no instruction retired since the last look, and no qrexec call served or made by it.
 * The watch looks at running VMs on a timer; a suspend goes through SuspendResume like any other.
 */
import { DOM0_UUID } from '../config/dom0.js';
import type { VmCache } from '../config/vm-cache.js';
import { vmView } from '../config/vm-view.js';
import type { VmInstance } from '../../guest-kernel/vm-instance.js';
import type { Lifecycle } from './lifecycle.js';

/** How often running VMs are looked at (the granularity of autosuspend_idle_s). */
export const AUTOSUSPEND_TICK_MS = 1000;

interface Quiet {
  readonly domid: number;
  /** When it was first seen idle (ms, the watch's clock). */
  readonly since: number;
  readonly instructions: number;
}

export class AutosuspendWatch {
  private timer: NodeJS.Timeout | null = null;
  private readonly quiet = new Map<string, Quiet>();
  private readonly suspending = new Set<string>();

  constructor(
    private readonly lifecycle: Lifecycle,
    private readonly cache: VmCache,
    /** Suspends the VM if `stillIdle(name)` holds once its lock is held. */
    private readonly suspend: (name: string, stillIdle: (name: string) => boolean) => Promise<unknown>,
    /** Whether dom0 sees a qrexec call to or from the VM being set up or running. */
    private readonly busy: (name: string, domid: number) => boolean,
    private readonly tickMs = AUTOSUSPEND_TICK_MS,
    private readonly now: () => number = () => performance.now(),
  ) {}

  start(): void {
    this.timer ??= setInterval(() => this.tick(), this.tickMs);
    this.timer.unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }

  /** One look at every running VM that asks for autosuspend; returns the names it began to suspend. */
  tick(): string[] {
    const began: string[] = [];
    const now = this.now();
    for (const vm of this.cache.all()) {
      if (vm.uuid === DOM0_UUID || this.suspending.has(vm.uuid)) continue;
      const limitS = vmView(vm, this.cache).autosuspend_idle_s;
      const instance = this.lifecycle.state(vm.uuid) === 'running' ? this.lifecycle.runtime(vm.uuid).instance : null;
      if (limitS <= 0 || !instance || !this.idle(vm.name, instance)) {
        this.quiet.delete(vm.uuid);
        continue;
      }
      const seen = this.quiet.get(vm.uuid);
      const instructions = instance.instructions();
      if (!seen || seen.domid !== instance.pd.id || seen.instructions !== instructions) {
        this.quiet.set(vm.uuid, { domid: instance.pd.id, since: now, instructions });
        continue;
      }
      if (now - seen.since < limitS * 1000) continue;
      this.quiet.delete(vm.uuid);
      this.suspending.add(vm.uuid);
      began.push(vm.name);
      // a refusal (it stopped or was suspended meanwhile) or a failed write is on the event stream
      void this.suspend(vm.name, (name) => this.idleNow(name))
        .catch(() => undefined)
        .finally(() => this.suspending.delete(vm.uuid));
    }
    return began;
  }

  /** Idle at this moment (asked again under the VM's lock, just before it is suspended). */
  private idleNow(name: string): boolean {
    const vm = this.cache.byName(name);
    const instance = vm ? this.lifecycle.runtime(vm.uuid).instance : null;
    return instance !== null && this.idle(name, instance);
  }

  private idle(name: string, instance: VmInstance): boolean {
    return isIdle(instance) && !this.busy(name, instance.pd.id);
  }
}

function isIdle(instance: VmInstance): boolean {
  for (const ec of instance.ecs) if (ec.state !== 'blocked' && ec.state !== 'stopped') return false;
  const agent = instance.agent;
  return agent !== null && agent !== undefined && agent.active === 0 && agent.calling === 0;
}
