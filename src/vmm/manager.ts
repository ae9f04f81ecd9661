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

export class Manager {
  readonly events = new EventLog();
  private readonly handlers: CommandHandlers;
  private readonly registry: VmRegistry;

  private constructor(readonly store: Store) {
    const cache = new VmCache(store);
    const tx = new ConfigTransactions(store, cache, this.events);
    this.registry = new VmRegistry(cache, tx);
    const tf = new TagsAndFeatures(store, cache, tx);
    const r = this.registry;
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
      'events.history': (c) => this.history(c),
      'events.last': () => this.store.events.lastId(),
    };
  }

  /** Opens the manager on a store: dom0 is made sure of, configuration is ready. */
  static async open(store: Store): Promise<Manager> {
    const manager = new Manager(store);
    await manager.registry.ensureDom0();
    return manager;
  }

  execute<K extends CommandType>(command: CommandOf<K>): Promise<CommandResults[K]> {
    const handler = this.handlers[command.type] as (c: CommandOf<K>) => Promise<CommandResults[K]>;
    return handler(command);
  }

  async close(): Promise<void> {
    await this.store.close();
  }

  private async history(c: CommandOf<'events.history'>): Promise<CommandResults['events.history']> {
    const rows = await this.store.events.since(c.since, c.limit);
    const lastId = rows.length > 0 ? rows[rows.length - 1].id : await this.store.events.lastId();
    return { events: rows.map(toCellaEvent), lastId };
  }
}
