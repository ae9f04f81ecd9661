/**
 * The Manager: the one door the API uses. It takes a typed command, applies it to the model
 * and the store, and emits the events; every command type has exactly one handler.
 */
import type { Store } from '../store/store.js';
import type { VmRecord } from '../store/vm-repository.js';
import type { CommandHandlers, CommandResults, CommandType, CommandOf } from './commands.js';
import { ConfigTransactions, toCellaEvent } from './config/config-transaction.js';
import { TagsAndFeatures } from './config/tags-features.js';
import { VmCache } from './config/vm-cache.js';
import { VmRegistry } from './config/vm-registry.js';
import { VmCloner } from './config/vm-clone.js';
import { DOM0_UUID } from './config/dom0.js';
import { vmView } from './config/vm-view.js';
import { EventLog, type CellaEvent } from './events/event-log.js';
import { ImageCatalogue } from './images/image-catalogue.js';
import { Lifecycle } from './lifecycle/lifecycle.js';
import { DEFAULT_LIMITS, type Limits } from './lifecycle/limits.js';
import { QREXEC_TIMEOUT_MS, VmMonitor } from './domain/vm-monitor.js';
import { CpuSampler } from './lifecycle/host-view.js';
import type { VmInstance } from '../guest-kernel/vm-instance.js';
import { SuspendResume } from './suspend/suspend-resume.js';
import { resolve } from 'node:path';
import { CellaError } from './errors.js';
import type { PowerState } from './config/power-state.js';
import { AUTOSUSPEND_TICK_MS, AutosuspendWatch } from './lifecycle/autosuspend.js';
import { QrexecDispatcher } from './qrexec/dispatcher.js';
import { QrexecCommands } from './qrexec/qrexec-commands.js';
import { RuntimeCommands } from './runtime-commands.js';
import { evaluate, lintMessages, policyTree } from '../qrexec/policy/index.js';
import { authorize } from './policy/admin-auth.js';
import { ApiTokens } from './policy/api-tokens.js';
import { ASK_TIMEOUT_S, AskBroker } from './policy/ask-broker.js';
import { PolicyFiles } from './policy/policy-files.js';
import { systemSnapshot } from './policy/system-snapshot.js';
import { pino, type Logger } from 'pino';
import { logEvents } from './events/event-logger.js';
import type { Leftovers } from './suspend/snapshot-index.js';

export interface ManagerOptions {
  limits?: Limits;
  /** Start VMs with autostart set (default true). */
  autostart?: boolean;
  /** Seconds a policy question waits for an answer before it is denied (default 60). */
  askTimeoutS?: number;
  /** Where suspend files go (default ./data/snapshots; the manager's data directory's snapshots/). */
  snapshotDir?: string;
  /** How often idle VMs are looked for (autosuspend_idle_s); default 1000 ms. */
  autosuspendTickMs?: number;
  /** Where operator-facing lines go (pino); silent by default. */
  logger?: Logger;
  /** CPU workers vCPUs run on (`CELLA_CPUS`); 0 (the default here) runs them on the event loop. */
  cpus?: number;
}

/** States in which a VM's domain exists but its vCPUs are in a file (or going to or coming from one). */
const SUSPENDED_STATES: readonly PowerState[] = ['suspending', 'suspended', 'resuming'];

/** A clean stop waits at most this long for each VM's graceful shutdown before killing it. */
export const STOP_TIMEOUT_S = 10;

export class Manager {
  readonly events = new EventLog();
  readonly monitor: VmMonitor;
  readonly lifecycle: Lifecycle;
  private readonly handlers: CommandHandlers;
  private readonly registry: VmRegistry;
  private readonly images: ImageCatalogue;
  readonly policy: PolicyFiles;
  readonly asks: AskBroker;
  readonly snapshots: SuspendResume;
  /** What the start found in the snapshot directory after a crash: `.part` files removed, orphan files listed. */
  leftovers: Leftovers = { removedParts: [], orphans: [] };
  private readonly autosuspend: AutosuspendWatch;
  private readonly cpuSampler: CpuSampler;
  private readonly cache: VmCache;

  private constructor(
    readonly store: Store,
    readonly limits: Limits,
    askTimeoutS: number,
    snapshotDir: string,
    autosuspendTickMs: number,
    readonly log: Logger,
    cpus: number,
  ) {
    this.monitor = new VmMonitor(cpus);
    logEvents(this.events, log);
    const cache = new VmCache(store);
    this.cache = cache;
    const tx = new ConfigTransactions(store, cache, this.events);
    this.policy = new PolicyFiles(store, tx);
    this.asks = new AskBroker(tx, () => this.system(), log, askTimeoutS);
    const tokens = new ApiTokens(store, cache);
    this.images = new ImageCatalogue(store);
    this.registry = new VmRegistry(cache, tx, limits);
    this.lifecycle = new Lifecycle(cache, tx, this.images, this.monitor, limits, (uuid) => store.vms.features(uuid), log);
    const tf = new TagsAndFeatures(store, cache, tx);
    const dispatcher = new QrexecDispatcher({
      vchan: this.monitor.vchanHost(),
      dom0Frames: this.monitor.dom0Frames,
      dom0Slots: this.monitor.dom0Slots,
      listen: (domid, port, fn) => this.monitor.xen.onPort(domid, port, fn),
      policy: () => this.policy.policy(),
      system: () => this.system(),
      ask: (request, decision) => this.asks.open(request, decision),
      // a suspended target is resumed, a halted one started (both only when the policy allows autostart)
      start: (name) => this.bringUp(name),
      domidOf: (name) => {
        const vm = cache.byName(name);
        return vm && !SUSPENDED_STATES.includes(this.lifecycle.state(vm.uuid)) ? (this.lifecycle.domidOf(vm.uuid) ?? null) : null;
      },
      record: (call) =>
        void tx
          .run(async ({ emit }) =>
            emit('qrexec-call', call.source, {
              source: call.source, target: call.target, service: call.service, argument: call.argument, decision: call.decision,
              rule: call.rule, exit_code: call.exitCode, bytes_in: call.bytesIn, bytes_out: call.bytesOut,
              duration_ms: Math.round(call.durationMs * 1000) / 1000, error: call.error,
            }),
          )
          .catch((err: unknown) => log.error({ err, vm: call.source, service: call.service }, 'qrexec call not recorded')),
      timeoutMs: QREXEC_TIMEOUT_MS,
    });
    this.lifecycle.onSpawned = (domid, name) => dispatcher.attach(domid, name);
    this.lifecycle.onDestroyed = (domid) => dispatcher.detach(domid);
    this.monitor.onGuestCall = (domid, ident, outcome) => dispatcher.finished(domid, ident, outcome);
    this.monitor.onKeptDataPort = (server, client, port) => dispatcher.keepPort(server, client, port);
    this.snapshots = new SuspendResume(this.lifecycle, cache, tx, this.monitor, snapshotDir);
    const qc = new QrexecCommands(this.lifecycle, dispatcher, (name) => this.bringUp(name));
    this.autosuspend = new AutosuspendWatch(
      this.lifecycle, cache,
      (name, stillIdle) => this.snapshots.suspend([name], { reason: 'idle', stillWanted: stillIdle }),
      (name, domid) => dispatcher.busy(name, domid),
      autosuspendTickMs,
    );
    this.cpuSampler = new CpuSampler(this.monitor.hv, () => this.liveDomains());
    const sr = this.snapshots;
    const rc = new RuntimeCommands(cache, this.lifecycle, this.images, this.monitor);
    const r = this.registry;
    const cloner = new VmCloner(tx, limits);
    const l = this.lifecycle;
    this.handlers = {
      'vm.list': (c) => r.list(c, this.visibleTo(c.caller)),
      'vm.get': (c) => r.get(c),
      'vm.create': (c) => r.create(c),
      'vm.update': (c) => r.update(c),
      'vm.delete': (c) => this.lifecycle.removing(c.name, () => r.delete(c)),
      'vm.clone': (c) => cloner.clone(c),
      'vm.tag.list': (c) => tf.tags(c),
      'vm.tag.add': (c) => tf.addTag(c),
      'vm.tag.remove': (c) => tf.removeTag(c),
      'vm.feature.list': (c) => tf.features(c),
      'vm.feature.get': (c) => tf.feature(c),
      'vm.feature.set': (c) => tf.setFeature(c),
      'vm.feature.delete': (c) => tf.deleteFeature(c),
      'vm.start': (c) => l.start(c.name),
      'vm.pause': (c) => l.pause(c.name),
      'vm.unpause': (c) => l.unpause(c.name),
      'vm.shutdown': (c) => l.shutdown(c.name, { wait: c.wait, timeout: c.timeout, force: c.force }),
      'vm.kill': (c) => l.kill(c.name),
      'vm.suspend': async (c) => {
        const snapshot = await sr.suspend([c.name], { file: c.file });
        return { vm: await r.get({ type: 'vm.get', name: c.name }), snapshot };
      },
      'vm.resume': (c) => sr.resume(c.name, c.snapshot),
      'snapshot.create': (c) => sr.suspend(c.names, { file: c.file }),
      'snapshot.list': () => sr.list(),
      'snapshot.get': (c) => sr.index.get(c.id),
      'snapshot.delete': (c) => sr.index.remove(c.id),
      'snapshot.orphans': () => sr.index.orphans(),
      'snapshot.prune': (c) => sr.index.prune({ orphans: c.orphans }),
      'snapshot.resume': (c) => sr.resumeSnapshot(c.id),
      'vm.console': (c) => rc.console(c),
      'vm.console.follow': (c) => rc.follow(c),
      'vm.stats': (c) => l.stats(c.name),
      'host.counters': async (c) => {
        const visible = this.visibleTo(c.caller, 'admin.vm.Stats');
        return visible ? rc.counters().filter(visible) : rc.counters();
      },
      'host.view': async (c) => {
        const view = this.cpuSampler.view();
        const visible = this.visibleTo(c.caller, 'admin.vm.Stats');
        if (!visible) return view;
        const names = new Set(this.cache.all().filter((vm) => visible({ name: vm.name })).map((vm) => vm.name));
        return {
          ...view,
          cpus: view.cpus.map((row) => ({
            ...row,
            running: row.running && names.has(row.running.vm) ? row.running : null,
            vcpus: row.vcpus.filter((v) => names.has(v.vm)),
          })),
          vms: view.vms.filter((v) => names.has(v.name)),
        };
      },
      'vm.evtchn': (c) => rc.evtchn(c),
      'vm.grants': (c) => rc.grants(c),
      'image.list': async () => rc.imageList(),
      'image.get': async (c) => rc.imageGet(c),
      'image.add': (c) => rc.imageAdd(c),
      'image.delete': (c) => rc.imageDelete(c),
      'policy.list': async () => this.policy.list(),
      'policy.get': async (c) => this.policy.get(c.name),
      'policy.put': (c) => this.policy.put(c.name, c.content, c.ifMatch, c.ifNoneMatch, c.by),
      'policy.delete': (c) => this.policy.delete(c.name, c.ifMatch, c.by),
      'policy.history': (c) => this.policy.history(c.name),
      'policy.evaluate': async (c) => evaluate(this.policy.policy(), c.request, await this.freshSystem()),
      'policy.check': async (c) => lintMessages(policyTree(c.files)),
      'qrexec.asks': async () => this.asks.list(),
      'qrexec.ask.answer': (c) => this.asks.resolve(c.id, c.answer, c.by),
      'token.create': (c) => tokens.create(c.name, c.vm),
      'token.list': () => tokens.list(),
      'token.delete': (c) => tokens.delete(c.name),
      'auth.token': (c) => tokens.resolve(c.secret),
      'auth.check': async (c) => authorize(this.policy.policy(), await this.freshSystem(), c.caller, c.method, c.dest, c.argument),
      'vm.qrexec': (c) => qc.call(c.request, c.stdin),
      'vm.qrexec.stream': (c) => qc.stream(c.request, c.io),
      'events.history': (c) => this.history(c),
      'events.last': () => this.store.events.lastId(),
    };
  }

  /** Opens the manager on a store: dom0 is made sure of, stale power states reset, autostart VMs started. */
  static async open(store: Store, options: ManagerOptions = {}): Promise<Manager> {
    const manager = new Manager(store, options.limits ?? DEFAULT_LIMITS, options.askTimeoutS ?? ASK_TIMEOUT_S, options.snapshotDir ?? resolve('data', 'snapshots'),
      options.autosuspendTickMs ?? AUTOSUSPEND_TICK_MS, options.logger ?? pino({ level: 'silent' }), options.cpus ?? 0,
    );
    await manager.registry.ensureDom0();
    await manager.images.load();
    await manager.policy.load();
    await manager.lifecycle.reconcile();
    manager.leftovers = await manager.snapshots.index.sweep();
    if (options.autostart !== false) {
      await manager.resumeHostStopped();
      await manager.lifecycle.autostart();
    }
    manager.autosuspend.start();
    manager.cpuSampler.start();
    return manager;
  }

  /** The VMs whose vCPUs run now (running or paused), with their domains. */
  private *liveDomains(): Iterable<[string, VmInstance]> {
    for (const vm of this.cache.all()) {
      if (vm.uuid === DOM0_UUID || !['running', 'paused'].includes(this.lifecycle.state(vm.uuid))) continue;
      const instance = this.lifecycle.liveInstance(vm.uuid);
      if (instance) yield [vm.name, instance];
    }
  }

  execute<K extends CommandType>(command: CommandOf<K>): Promise<CommandResults[K]> {
    const handler = this.handlers[command.type] as (c: CommandOf<K>) => Promise<CommandResults[K]>;
    return handler(command);
  }

  /**
   * A clean stop: each running VM is suspended, killed or shut down as its on_host_stop says (shut
   * down, then killed, when a suspend fails), the scheduler stops, the store closes. Suspended VMs
   * stay suspended.
   */
  async close(): Promise<void> {
    this.autosuspend.stop();
    this.cpuSampler.stop();
    await this.asks.closeAll();
    await this.hostStop();
    await this.lifecycle.stopAll(STOP_TIMEOUT_S);
    await this.monitor.hv.close();
    await this.store.close();
  }

  /**
   * on_host_stop: the running and paused VMs that ask for it are suspended together, in one instant
   * into one file (everything between them comes back with them), or killed;
   * stopAll shuts down the rest, and the ones whose suspend failed.
   */
  private async hostStop(): Promise<void> {
    const vms = await this.cache.fresh();
    const live = vms.all().filter((vm) => vm.uuid !== DOM0_UUID && ['running', 'paused'].includes(this.lifecycle.state(vm.uuid)));
    const how = (vm: VmRecord) => vmView(vm, vms).on_host_stop;
    const suspend = live.filter((vm) => how(vm) === 'suspend').map((vm) => vm.name);
    const failed = (what: string, vms: string[]) => (err: unknown) => this.log.warn({ err, vms }, `host stop: ${what} failed`);
    await Promise.all([
      suspend.length > 0 ? this.snapshots.suspend(suspend, { reason: 'host-stop' }).catch(failed('suspend', suspend)) : undefined,
      ...live.filter((vm) => how(vm) === 'kill').map((vm) => this.lifecycle.kill(vm.name).catch(failed('kill', [vm.name]))),
    ]);
  }

  /**
   * The VMs the last stop suspended (on_host_stop=suspend) are resumed before autostart
   * (libvirt-guests): each such file as a group; when the group is refused, its members one by one.
   * One that is refused stays suspended, its domain-resume-failed event says why.
   */
  private async resumeHostStopped(): Promise<void> {
    for (const row of (await this.snapshots.list()).filter((r) => r.reason === 'host-stop')) {
      if (this.snapshots.suspendedInto(row).length === 0) continue;
      const together = await this.snapshots.resumeSnapshot(row.id).then(() => true, () => false);
      if (together) continue;
      // a refused member stays suspended; its domain-resume-failed event (and log line) says why
      for (const name of this.snapshots.suspendedInto(row)) await this.snapshots.resume(name).catch(() => false);
    }
  }

  /**
   * A qrexec call needs `name` running: a suspended (or suspending) VM is resumed, a halted one
   * started. Another command that got there first (a concurrent start or resume) is fine.
   */
  private async bringUp(name: string): Promise<void> {
    const vm = this.cache.byName(name);
    const suspended = vm !== undefined && SUSPENDED_STATES.includes(this.lifecycle.state(vm.uuid));
    try {
      if (suspended) await this.snapshots.resume(name);
      else await this.lifecycle.start(name);
    } catch (err) {
      if (!(vm && err instanceof CellaError && err.code === 'INVALID_STATE' && this.lifecycle.state(vm.uuid) === 'running')) throw err;
    }
  }

  /** The qubes as the policy sees them; one snapshot object per change of the VM cache. */
  system(): ReturnType<typeof systemSnapshot> {
    if (this.snapshot === null || this.snapshotVersion !== this.cache.version) {
      this.snapshot = systemSnapshot(this.cache);
      this.snapshotVersion = this.cache.version;
    }
    return this.snapshot;
  }

  private snapshot: ReturnType<typeof systemSnapshot> | null = null;
  private snapshotVersion = -1;

  /**
   * A token that changes whenever what `caller` sees of `what` may have changed: for the VMs, any
   * change of the VM copy (rows, power states, tags; a template's change shows in its AppVMs); for
   * the events, any new event; for a management VM also the policy (which VMs and events it may see)
   * and, for events, the VMs the policy names. It is read after the same check the VM copy makes
   * (on a shared database, the store's last event id), so a page kept under it is never stale.
   */
  async viewVersion(what: 'vms' | 'events', caller: string): Promise<string> {
    await this.cache.fresh();
    const data = what === 'vms' ? `v${this.cache.version}` : `e${this.cache.lastEventId}`;
    if (caller === 'dom0') return data;
    return `${data}:v${this.cache.version}:p${this.policy.generation}`;
  }

  private async freshSystem(): Promise<ReturnType<typeof systemSnapshot>> {
    await this.cache.fresh();
    return this.system();
  }

  private async history(c: CommandOf<'events.history'>): Promise<CommandResults['events.history']> {
    const rows = await this.store.events.since(c.since, c.limit);
    const lastId = rows.length > 0 ? rows[rows.length - 1].id : await this.store.events.lastId();
    const events = rows.map(toCellaEvent);
    return { events: c.caller ? events.filter(this.eventVisibleTo(c.caller)) : events, lastId };
  }

  /** Which VMs a management VM may see in lists: `method` (admin.vm.List) towards each (qubesd's filtering). */
  private visibleTo(caller: string | undefined, method = 'admin.vm.List'): ((vm: { name: string }) => boolean) | undefined {
    if (!caller || caller === 'dom0') return undefined;
    const policy = this.policy.policy();
    const system = this.system();
    return (vm) => authorize(policy, system, caller, method, vm.name).allowed;
  }

  /** Which events a caller may see: admin.Events+<name with : as _> towards the event's VM (or dom0). */
  eventVisibleTo(caller: string): (e: CellaEvent) => boolean {
    if (caller === 'dom0') return () => true;
    return (e) => {
      const dest = e.subject ?? (typeof e.payload.vm === 'string' ? e.payload.vm : 'dom0');
      return authorize(this.policy.policy(), this.system(), caller, 'admin.Events', dest, `+${e.event.replace(/:/g, '_')}`).allowed;
    };
  }
}
