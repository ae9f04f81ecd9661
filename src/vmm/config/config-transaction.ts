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
import type { VmRecord } from '../../store/vm-repository.js';

export type Emit = (name: string, subject: string | null, payload: Record<string, unknown>) => void;

/** What a write's work gets: the repositories bound to its transaction, a fresh cache, and its event and change sinks. */
export interface WriteContext {
  readonly repos: Repositories;
  readonly vms: VmCache;
  readonly emit: Emit;
  /** Marks a VM as changed: the cache takes `record` as its new row, drops it for null, or re-reads it when absent. */
  readonly touch: (uuid: string, record?: VmRecord | null) => void;
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
      let committed: EventRow[] = [];
      const touched = new Map<string, VmRecord | null | undefined>();
      const result = await this.store.transaction(async (repos) => {
        const pending: { name: string; subject: string | null; payload: Record<string, unknown> }[] = [];
        const emit: Emit = (name, subject, payload) => pending.push({ name, subject, payload });
        const value = await work({ repos, vms, emit, touch: (uuid, record) => touched.set(uuid, record) });
        committed = await repos.events.appendMany(pending);
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
