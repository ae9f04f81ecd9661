/**
 * Configuration writes: one at a time, each in one database transaction together with the
 * events it emits, and the events published only after the commit, in id order.
 */
import { Mutex } from 'async-mutex';
import type { Repositories, Store } from '../../store/store.js';
import type { EventRow } from '../../store/event-repository.js';
import type { CellaEvent, EventLog } from '../events/event-log.js';

export type Emit = (name: string, subject: string | null, payload: Record<string, unknown>) => void;

export class ConfigTransactions {
  private readonly lock = new Mutex();

  constructor(
    private readonly store: Store,
    private readonly events: EventLog,
  ) {}

  run<T>(work: (repos: Repositories, emit: Emit) => Promise<T>): Promise<T> {
    return this.lock.runExclusive(async () => {
      const committed: EventRow[] = [];
      const result = await this.store.transaction(async (repos) => {
        const pending: Parameters<Emit>[] = [];
        const value = await work(repos, (...event) => pending.push(event));
        for (const [name, subject, payload] of pending) committed.push(await repos.events.append(name, subject, payload));
        return value;
      });
      this.events.publish(committed.map(toCellaEvent));
      return result;
    });
  }
}

export function toCellaEvent(row: EventRow): CellaEvent {
  return { id: row.id, time: row.createdAt.toISOString(), event: row.name, subject: row.subject, payload: row.payload };
}
