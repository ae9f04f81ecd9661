/**
 * The Manager: the one door the API uses. It takes a typed command, applies it to the model
 * and the store, and emits the events; every command type has exactly one handler.
 */
import type { Store } from '../store/store.js';
import type { CommandHandlers, CommandResults, CommandType, CommandOf } from './commands.js';
import { ConfigTransactions, toCellaEvent } from './config/config-transaction.js';
import { TagsAndFeatures } from './config/tags-features.js';
import { VmCache } from './config/vm-cache.js';
import { VmRegistry } from './config/vm-registry.js';
import { EventLog } from './events/event-log.js';
import { ImageCatalogue } from './images/image-catalogue.js';
import { Lifecycle } from './lifecycle/lifecycle.js';
import { DEFAULT_LIMITS, type Limits } from './lifecycle/limits.js';
import { VmMonitor } from './runtime/vm-monitor.js';
import { RuntimeCommands } from './runtime-commands.js';

export interface ManagerOptions {
  limits?: Limits;
  /** Start VMs with autostart set (default true). */
  autostart?: boolean;
}

/** A clean stop waits at most this long for each VM's graceful shutdown before killing it. */
export const STOP_TIMEOUT_S = 10;

export class Manager {
  readonly events = new EventLog();
  readonly monitor = new VmMonitor();
  readonly lifecycle: Lifecycle;
  private readonly handlers: CommandHandlers;
  private readonly registry: VmRegistry;
  private readonly images: ImageCatalogue;

  private constructor(
    readonly store: Store,
    readonly limits: Limits,
  ) {
    const cache = new VmCache(store);
    const tx = new ConfigTransactions(store, cache, this.events);
    this.images = new ImageCatalogue(store);
    this.registry = new VmRegistry(cache, tx, limits);
    this.lifecycle = new Lifecycle(cache, tx, this.images, this.monitor, limits);
    const tf = new TagsAndFeatures(store, cache, tx);
    const rc = new RuntimeCommands(cache, this.lifecycle, this.images);
    const r = this.registry;
    const l = this.lifecycle;
    this.handlers = {
      'vm.list': (c) => r.list(c),
      'vm.get': (c) => r.get(c),
      'vm.create': (c) => r.create(c),
      'vm.update': (c) => r.update(c),
      'vm.delete': (c) => r.delete(c),
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
      'vm.console': (c) => rc.console(c),
      'vm.console.follow': (c) => rc.follow(c),
      'vm.stats': (c) => l.stats(c.name),
      'image.list': async () => rc.imageList(),
      'image.get': async (c) => rc.imageGet(c),
      'image.add': (c) => rc.imageAdd(c),
      'image.delete': (c) => rc.imageDelete(c),
      'events.history': (c) => this.history(c),
      'events.last': () => this.store.events.lastId(),
    };
  }

  /** Opens the manager on a store: dom0 is made sure of, stale power states reset, autostart VMs started. */
  static async open(store: Store, options: ManagerOptions = {}): Promise<Manager> {
    const manager = new Manager(store, options.limits ?? DEFAULT_LIMITS);
    await manager.registry.ensureDom0();
    await manager.images.load();
    await manager.lifecycle.reconcile();
    if (options.autostart !== false) await manager.lifecycle.autostart();
    return manager;
  }

  execute<K extends CommandType>(command: CommandOf<K>): Promise<CommandResults[K]> {
    const handler = this.handlers[command.type] as (c: CommandOf<K>) => Promise<CommandResults[K]>;
    return handler(command);
  }

  /** A clean stop: running VMs are shut down (then killed), the scheduler stops, the store closes. */
  async close(): Promise<void> {
    await this.lifecycle.stopAll(STOP_TIMEOUT_S);
    this.monitor.hv.scheduler.stop();
    await this.store.close();
  }

  private async history(c: CommandOf<'events.history'>): Promise<CommandResults['events.history']> {
    const rows = await this.store.events.since(c.since, c.limit);
    const lastId = rows.length > 0 ? rows[rows.length - 1].id : await this.store.events.lastId();
    return { events: rows.map(toCellaEvent), lastId };
  }
}
