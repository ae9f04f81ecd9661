/**
 * Configuration writes: one at a time, each in one database transaction together with the
 * events it emits; after the commit the VM cache takes in what changed, then the events are
 * published, in id order.
 */
import { Mutex } from 'async-mutex';
import type { Repositories, Store } from '../../store/store.js';
import type { EventRow } from '../../store/event-repository.js';
import type { CellaEvent, EventLog } from '../events/event-log.js';
import type { VmCache } from './vm-cache.js';

export type Emit = (name: string, subject: string | null, payload: Record<string, unknown>) => void;

/** What a write's work gets: the repositories bound to its transaction, a fresh cache, and its event and change sinks. */
export interface WriteContext {
  readonly repos: Repositories;
  readonly vms: VmCache;
  readonly emit: Emit;
  /** Marks a VM (by uuid) as changed, so the cache re-reads it after the commit. */
  readonly touch: (uuid: string) => void;
}

export class ConfigTransactions {
  private readonly lock = new Mutex();

  constructor(
    private readonly store: Store,
    private readonly cache: VmCache,
    private readonly events: EventLog,
  ) {}

  run<T>(work: (ctx: WriteContext) => Promise<T>): Promise<T> {
    return this.lock.runExclusive(async () => {
      const vms = await this.cache.fresh();
      const committed: EventRow[] = [];
      const touched = new Set<string>();
      const result = await this.store.transaction(async (repos) => {
        const pending: Parameters<Emit>[] = [];
        const value = await work({ repos, vms, emit: (...event) => pending.push(event), touch: (uuid) => touched.add(uuid) });
        for (const [name, subject, payload] of pending) committed.push(await repos.events.append(name, subject, payload));
        return value;
      });
      await this.cache.afterCommit(
        committed.map((e) => e.id),
        touched,
      );
      this.events.publish(committed.map(toCellaEvent));
      return result;
    });
  }
}

export function toCellaEvent(row: EventRow): CellaEvent {
  return { id: row.id, time: row.createdAt.toISOString(), event: row.name, subject: row.subject, payload: row.payload };
}
