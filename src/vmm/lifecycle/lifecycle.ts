/**
 * VM lifecycle commands: start, pause, unpause, shutdown, kill. One command at a time per VM
 * (a per-VM lock), checked against the VM's lifecycle machine, applied to the model, persisted
 * with Qubes' events in Qubes' order (domain-pre-start, domain-spawn, domain-start, …).
 */
import { createHash } from 'node:crypto';
import type { VmRecord } from '../../store/vm-repository.js';
import type { ConfigTransactions } from '../config/config-transaction.js';
import { DOM0_UUID } from '../config/dom0.js';
import type { PowerState } from '../config/power-state.js';
import type { VmCache } from '../config/vm-cache.js';
import { mustFind } from '../config/vm-registry.js';
import { vmView, type VmView } from '../config/vm-view.js';
import { CellaError, fail } from '../errors.js';
import type { ImageCatalogue } from '../images/image-catalogue.js';
import type { ConsoleRing } from '../../guest-kernel/console-ring.js';
import type { GuestEnd, VmInstance } from '../../guest-kernel/vm-instance.js';
import type { VmMonitor } from '../domain/vm-monitor.js';
import type { Logger } from 'pino';
import type { Limits } from './limits.js';
import { refusal, type VmCommand } from './vm-machine.js';
import { parseAffinity } from '../../hypervisor/cpu-set.js';
import { VmRuntime } from './vm-runtime.js';
import { statsOf, type VmStats } from './vm-stats.js';

export interface ShutdownOptions {
  wait: boolean;
  /** Seconds before the VM is killed; the VM's shutdown_timeout when absent. */
  timeout?: number;
  force: boolean;
}

export type EventList = [name: string, payload: Record<string, unknown>][];

export class Lifecycle {
  private readonly runtimes = new Map<string, VmRuntime>();
  /** Called once a VM's domain runs (dom0's qrexec daemon connects to its agent), and when it is gone. */
  onSpawned: (domid: number, name: string) => Promise<void> = async () => undefined;
  onDestroyed: (domid: number) => void = () => undefined;

  constructor(
    private readonly cache: VmCache,
    private readonly tx: ConfigTransactions,
    readonly images: ImageCatalogue,
    private readonly monitor: VmMonitor,
    private readonly limits: Limits,
    private readonly features: (uuid: string) => Promise<Record<string, string>>,
    /** Operator-facing lines (pino) for what fails without a caller to tell. */
    readonly log: Logger,
  ) {}

  /**
   * After a manager restart nothing runs. A VM recorded as suspended whose snapshot is in the index
   * stays suspended (its domain is only in the file now, its domid kept for it); every other VM
   * recorded as live is set halted (a suspend or resume the stop cut short never finished).
   */
  async reconcile(): Promise<void> {
    const vms = await this.cache.fresh();
    const snapshots = await this.tx.run(async ({ repos }) => repos.snapshots.all());
    const live = vms.all().filter((vm) => vm.uuid !== DOM0_UUID && !['halted', 'crashed'].includes(vm.powerState));
    const stale: VmRecord[] = [];
    for (const vm of live) {
      // the index lists the newest first: a VM's newest snapshot is the one its suspend recorded with its state
      const row = vm.powerState === 'suspended' ? snapshots.find((r) => r.vms.some((v) => v.uuid === vm.uuid)) : undefined;
      const domid = row?.vms.find((v) => v.uuid === vm.uuid)?.domid;
      if (!row || domid === undefined) {
        stale.push(vm);
        continue;
      }
      this.runtimes.set(vm.uuid, new VmRuntime({ snapshot: row.id, domid }));
      this.monitor.reserveDomid(domid);
    }
    if (stale.length === 0) return;
    await this.tx.run(async ({ repos, touch }) => {
      for (const vm of stale) {
        touch(vm.uuid, await repos.vms.setPowerState(vm, 'halted'));
      }
    });
  }

  /** Starts every VM with autostart set, in name order; returns the names that failed. */
  async autostart(): Promise<string[]> {
    const vms = await this.cache.fresh();
    const failed: string[] = [];
    for (const vm of vms.all()) {
      if (vm.uuid === DOM0_UUID || vmView(vm, vms).autostart !== true) continue;
      await this.start(vm.name).catch(() => failed.push(vm.name));
    }
    return failed;
  }

  /** The snapshot the VM is suspended into, or null (a look: no runtime is made for it). */
  snapshotOf(uuid: string): string | null {
    return this.runtimes.get(uuid)?.snapshot ?? null;
  }

  /**
   * Binds a domain just built for `vm` to the least loaded CPU its cpu_affinity allows, before its
   * first instruction (synchronously after the build). On a host that lacks those CPUs a start was
   * refused already; a resume is not refused for it: the VM runs on any CPU, and the log says so.
   */
  place(vm: VmRecord, instance: VmInstance): void {
    const cpus = this.allowedCpus(vmView(vm, this.cache));
    if (typeof cpus === 'string') this.log.warn({ vm: vm.name, reason: cpus }, 'cpu_affinity names CPUs this host lacks: the VM runs on any CPU');
    this.monitor.hv.place(instance.pd, typeof cpus === 'string' ? null : cpus);
  }

  /** The host CPUs `view`'s cpu_affinity allows (null: any), or why this host cannot honour it. */
  private allowedCpus(view: VmView): number[] | null | string {
    if (view.cpu_affinity === 'all') return null;
    const allowed = parseAffinity(view.cpu_affinity, this.monitor.hv.cpus);
    return Array.isArray(allowed) ? allowed : allowed.message;
  }

  /** The power state of the VM named `name` (halted when there is none). */
  stateOf(name: string): PowerState {
    const vm = this.cache.byName(name);
    return vm ? this.state(vm.uuid) : 'halted';
  }

  state(uuid: string): PowerState {
    return this.runtimes.get(uuid)?.state ?? 'halted';
  }

  start(name: string): Promise<VmView> {
    return this.locked(name, 'start', async (rt, vm) => {
      const view = vmView(vm, this.cache);
      this.checkLimits(view);
      const image = this.images.mustGet(view.kernel);
      const cpus = this.allowedCpus(view);
      if (typeof cpus === 'string') fail('PROPERTY_VALUE_INVALID', `cpu_affinity: ${cpus}`);
      const domid = this.monitor.freeDomid() ?? fail('LIMIT_EXCEEDED', 'no free domain id');
      rt.send({ type: 'start' });
      const preStart: EventList[number] = ['domain-pre-start', { mem_required: view.memory }];
      let instance: VmInstance;
      try {
        instance = this.monitor.build({
          name: vm.name, domid, memoryMiB: view.memory, vcpus: view.vcpus, image, consoleBuffer: view.console_buffer, seed: seedOf(vm.uuid),
          maxEventChannels: view.max_event_channels, vmConfig: await this.vmConfig(vm.uuid), kernelArgs: await this.kernelArgs(vm.uuid),
        });
      } catch (err) {
        rt.send({ type: 'start-failed' });
        const reason = err instanceof Error ? err.message : String(err);
        await this.persist(vm, 'halted', [preStart, ['domain-start-failed', { reason }]]);
        throw err instanceof CellaError ? err : new CellaError('INTERNAL', reason);
      }
      this.place(vm, instance);
      await this.adopt(rt, vm, instance);
      rt.send({ type: 'spawned' });
      // building is synchronous, so nobody sees `starting`: one transaction records the whole start
      return this.persist(vm, 'running', [preStart, ['domain-spawn', { domid }], ['domain-start', { domid }]]);
    });
  }

  /** A domain built for the VM (started, or resumed from a file after a restart) becomes its running instance; dom0's daemon connects to it. */
  async adopt(rt: VmRuntime, vm: VmRecord, instance: VmInstance): Promise<void> {
    rt.running(instance);
    instance.onEnd((end) => void this.guestEnded(vm.uuid, instance, end));
    // the VM runs without dom0's qrexec daemon then: its calls and calls to it fail, and the log says why
    await this.onSpawned(instance.pd.id, vm.name).catch((err: unknown) => this.log.error({ err, vm: vm.name, domid: instance.pd.id }, 'qrexec: dom0 cannot connect to the agent of the VM'));
  }

  pause(name: string): Promise<VmView> {
    return this.locked(name, 'pause', async (rt, vm) => {
      for (const ec of rt.instance!.ecs) this.monitor.hv.pause(ec);
      // a vCPU on a CPU worker stops at the end of its chunk: paused means it retires nothing more
      await this.monitor.hv.settled([rt.instance!.pd]);
      rt.send({ type: 'pause' });
      return this.persist(vm, 'paused', [['domain-pre-paused', {}], ['domain-paused', {}]]);
    });
  }

  unpause(name: string): Promise<VmView> {
    return this.locked(name, 'unpause', async (rt, vm) => {
      for (const ec of rt.instance!.ecs) this.monitor.hv.unpause(ec);
      rt.send({ type: 'unpause' });
      return this.persist(vm, 'running', [['domain-pre-unpaused', {}], ['domain-unpaused', {}]]);
    });
  }

  /** Asks the guest to shut down; kills it when it has not after the timeout. */
  async shutdown(name: string, options: ShutdownOptions): Promise<VmView> {
    let ended: Promise<void> = Promise.resolve();
    const view = await this.locked(name, 'shutdown', async (rt, vm) => {
      const seconds = options.timeout ?? vmView(vm, this.cache).shutdown_timeout;
      rt.send({ type: 'shutdown' });
      const result = await this.persist(vm, 'halting', [['domain-pre-shutdown', { force: options.force }]]);
      rt.instance!.requestShutdown();
      const timer = setTimeout(() => void this.kill(vm.name, 'shutdown timeout').catch((err: unknown) => this.unexpected(err, vm.name, 'kill after the shutdown timeout')), seconds * 1000);
      rt.killAfter(timer.unref());
      ended = rt.ended;
      return result;
    });
    if (!options.wait) return view;
    await ended;
    return this.view(name);
  }

  kill(name: string, reason = 'killed'): Promise<VmView> {
    return this.locked(name, 'kill', async (rt, vm) => this.end(rt, vm, { kind: 'shutdown', status: reason === 'killed' ? -9 : -15 }, reason));
  }

  async stats(name: string): Promise<VmStats> {
    const vm = mustFind(await this.cache.fresh(), name);
    const rt = this.runtimes.get(vm.uuid);
    return statsOf(vm.powerState, rt?.instance ?? null, rt?.lastEnd ?? null);
  }

  /** The domid of a running VM, or undefined. */
  domidOf(uuid: string): number | undefined {
    return this.runtimes.get(uuid)?.instance?.pd.id;
  }

  /** The console of the running VM, or of its last run. */
  async consoleOf(name: string): Promise<ConsoleRing | null> {
    const vm = mustFind(await this.cache.fresh(), name);
    const rt = this.runtimes.get(vm.uuid);
    return rt?.console ?? null;
  }

  /** The domain of a VM (by uuid) when it has one, without a store round trip. */
  liveInstance(uuid: string): VmInstance | null {
    return this.runtimes.get(uuid)?.instance ?? null;
  }

  async instanceOf(name: string): Promise<VmInstance | null> {
    const vm = mustFind(await this.cache.fresh(), name);
    return this.runtimes.get(vm.uuid)?.instance ?? null;
  }

  /**
   * Shuts every running VM down (each with its timeout, at most `maxSeconds`), then kills what is
   * left. A suspended VM stays suspended: its file and its record outlive the manager.
   */
  async stopAll(maxSeconds: number): Promise<void> {
    const running = [...this.runtimes.entries()].filter(([, rt]) => rt.instance !== null);
    await Promise.all(
      running.map(async ([uuid, rt]) => {
        const vm = this.cache.byUuid(uuid);
        // a suspend or resume under way finishes first
        await rt.lock.waitForUnlock();
        if (!vm || rt.snapshot !== null) return;
        const timeout = Math.min(maxSeconds, vmView(vm, this.cache).shutdown_timeout);
        if (this.state(uuid) === 'running') await this.shutdown(vm.name, { wait: true, timeout, force: true }).catch((err: unknown) => this.unexpected(err, vm.name, 'shutdown at host stop'));
        if (rt.instance) await this.kill(vm.name).catch((err: unknown) => this.unexpected(err, vm.name, 'kill at host stop'));
      }),
    );
  }

  // ---- internals ----

  /** A command that found the VM already gone or in another state is fine; anything else is logged. */
  private unexpected(err: unknown, vm: string, what: string): void {
    if (err instanceof CellaError && (err.code === 'INVALID_STATE' || err.code === 'VM_NOT_FOUND')) return;
    this.log.error({ err, vm }, `${what} failed`);
  }

  private async view(name: string): Promise<VmView> {
    const vms = await this.cache.fresh();
    return vmView(mustFind(vms, name), vms);
  }

  /** The runtime of a VM (made halted on first use; reconcile makes those it finds suspended). */
  runtime(uuid: string): VmRuntime {
    let rt = this.runtimes.get(uuid);
    if (!rt) {
      rt = new VmRuntime();
      this.runtimes.set(uuid, rt);
    }
    return rt;
  }

  /**
   * A removal under the VM's lock, so that no lifecycle command interleaves with it: the VM must
   * have no domain (halted or crashed). Commands queued behind it find the VM gone (VM_NOT_FOUND).
   */
  async removing(name: string, work: () => Promise<void>): Promise<void> {
    const first = mustFind(await this.cache.fresh(), name);
    if (first.uuid === DOM0_UUID) return work();
    const rt = this.runtime(first.uuid);
    await rt.lock.runExclusive(async () => {
      const state = rt.state;
      if (state !== 'halted' && state !== 'crashed') {
        fail('INVALID_STATE', `VM '${name}' is ${state}; shut it down before removing it`, { state });
      }
      await work();
      rt.stop();
      if (this.runtimes.get(first.uuid) === rt) this.runtimes.delete(first.uuid);
    });
  }

  /** Runs `work` under the VM's lock once its lifecycle machine accepts `command`. */
  private async locked(name: string, command: VmCommand, work: (rt: VmRuntime, vm: VmRecord) => Promise<VmView>): Promise<VmView> {
    const first = mustFind(await this.cache.fresh(), name);
    if (first.uuid === DOM0_UUID) fail('INVALID_STATE', 'dom0 always runs; it cannot be started, paused or stopped', { state: 'running' });
    const rt = this.runtime(first.uuid);
    return rt.lock.runExclusive(async () => {
      const vm = this.cache.byUuid(first.uuid) ?? fail('VM_NOT_FOUND', `no such domain: '${name}'`);
      const state = rt.state;
      if (!rt.can(command)) fail('INVALID_STATE', refusal(command, state), { state });
      return work(rt, vm);
    });
  }

  /** The feature `kernel-args`: words given to the guest kernel after its name (argv[1…]). */
  private async kernelArgs(uuid: string): Promise<string[]> {
    const args = (await this.features(uuid))['kernel-args'];
    return args === undefined ? [] : args.split(/\s+/).filter((w) => w.length > 0);
  }

  /** Qubes' vm-config.* features, handed to the guest in its store home (vm-config/NAME). */
  private async vmConfig(uuid: string): Promise<Record<string, string>> {
    const features = await this.features(uuid);
    return Object.fromEntries(Object.entries(features).filter(([k]) => k.startsWith('vm-config.')).map(([k, v]) => [k.slice('vm-config.'.length), v]));
  }

  /**
   * Refuses (LIMIT_EXCEEDED) when one more running VM of `view`'s memory would pass a global cap;
   * `also` counts VMs about to run with it (the members of a group resumed before it).
   */
  checkLimits(view: Pick<VmView, 'name' | 'memory'>, doing = 'starting', also: { vms: number; memoryMiB: number } = { vms: 0, memoryMiB: 0 }): void {
    const live = [...this.runtimes.entries()].filter(([, rt]) => rt.instance !== null && rt.snapshot === null);
    if (live.length + also.vms >= this.limits.maxRunningVms) {
      fail('LIMIT_EXCEEDED', `${live.length + also.vms} VMs run already${also.vms > 0 ? ` or are being resumed with ${view.name}` : ''}, the limit (CELLA_MAX_RUNNING_VMS) is ${this.limits.maxRunningVms}`);
    }
    // what the running domains were built with (a property changed since does not count until a restart)
    const used = live.reduce((sum, [, rt]) => sum + rt.instance!.spec.memoryMiB, 0) + also.memoryMiB;
    if (used + view.memory > this.limits.maxMemoryMiB) {
      fail('LIMIT_EXCEEDED', `${doing} ${view.name} needs ${view.memory} MiB; ${used} of ${this.limits.maxMemoryMiB} MiB (CELLA_MAX_MEMORY_MIB) are taken`);
    }
  }

  /** The guest ended by itself (exit, sched_shutdown, fault): tear down and record it. */
  private async guestEnded(uuid: string, instance: VmInstance, end: GuestEnd): Promise<void> {
    const rt = this.runtime(uuid);
    await rt.lock.runExclusive(async () => {
      const vm = this.cache.byUuid(uuid);
      if (rt.instance !== instance || !vm) return;
      await this.end(rt, vm, end, end.kind === 'crashed' ? 'crashed' : 'shutdown');
    });
  }

  /** Destroys the running domain and records domain-stopped then domain-shutdown. */
  private async end(rt: VmRuntime, vm: VmRecord, end: GuestEnd, reason: string): Promise<VmView> {
    const { instance, coldDomid } = rt.end(end);
    if (instance) {
      instance.end(end);
      this.onDestroyed(instance.pd.id);
      this.monitor.destroy(instance);
    }
    if (coldDomid !== null) this.monitor.unreserveDomid(coldDomid);
    const crashed = end.kind === 'crashed';
    rt.send(crashed ? { type: 'crash' } : reason === 'shutdown' ? { type: 'guest-ended' } : { type: 'kill' });
    const payload = { reason, ...(crashed ? { detail: end.reason, cause: end.cause, pc: end.pc, tval: end.tval } : { status: end.status }) };
    const view = await this.persist(vm, crashed ? 'crashed' : 'halted', [['domain-stopped', payload], ['domain-shutdown', payload]]);
    rt.endRecorded();
    return view;
  }

  /** Records the VM's power state with its events, in one transaction. */
  async persist(vm: VmRecord, state: PowerState, events: EventList): Promise<VmView> {
    const [view] = await this.persistAll([vm], () => state, events);
    return view;
  }

  /** Records each VM's power state (`state(i)` for the i-th) with the same events for each, all in one transaction. */
  persistAll(vms: readonly VmRecord[], state: (i: number) => PowerState, events: EventList): Promise<VmView[]> {
    return this.tx.run(async ({ repos, vms: cache, emit, touch }) => {
      const views: VmView[] = [];
      for (const [i, vm] of vms.entries()) {
        const updated = await repos.vms.setPowerState(cache.byUuid(vm.uuid) ?? vm, state(i));
        touch(vm.uuid, updated);
        for (const [name, payload] of events) emit(name, updated.name, payload);
        views.push(vmView(updated, cache));
      }
      return views;
    });
  }
}

/** A VM's random seed: derived from its uuid, so the same VM gets the same guest randomness. */
function seedOf(uuid: string): number {
  return createHash('sha256').update(uuid).digest().readUInt32LE(0);
}
