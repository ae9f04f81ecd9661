/**
 * Configuration writes: one at a time, each in a database transaction together with the events it
 * emits; after the commit the VM cache takes in what changed, then the events are published, in id
 * order, and only then does the write's promise settle.
 *
 * Group commit: writes that queue up while one is in the database go in together, in their order,
 * in one transaction (each sees the VM changes of those before it through a VmOverlay, and the
 * database rows they wrote), with their events appended in one statement. A write that fails
 * before it used the database is simply left out; when one fails after using it, or the commit
 * fails, nothing of the group is kept and each write runs again alone, as if there were no group.
 */
import type { Repositories, Store } from '../../store/store.js';
import type { EventRow } from '../../store/event-repository.js';
import type { CellaEvent, EventLog } from '../events/event-log.js';
import type { VmCache, VmSet } from './vm-cache.js';
import { VmOverlay } from './vm-overlay.js';
import type { VmRecord } from '../../store/vm-repository.js';

export type Emit = (name: string, subject: string | null, payload: Record<string, unknown>) => void;

/** What a write's work gets: the repositories bound to its transaction, the VMs as they stand, and its event and change sinks. */
export interface WriteContext {
  readonly repos: Repositories;
  readonly vms: VmSet;
  readonly emit: Emit;
  /** Marks a VM as changed: its new record, or null when it is gone. */
  readonly touch: (uuid: string, record: VmRecord | null) => void;
}

type Work<T> = (ctx: WriteContext) => Promise<T>;

interface Queued {
  readonly work: Work<unknown>;
  readonly resolve: (value: unknown) => void;
  readonly reject: (err: unknown) => void;
}

type PendingEvent = { name: string; subject: string | null; payload: Record<string, unknown> };

/** The most writes that go in one transaction. */
export const MAX_GROUP = 64;

/** A write of a group failed after it used the database: the group is undone and run one by one. */
class GroupUndone extends Error {}

export class ConfigTransactions {
  private readonly queue: Queued[] = [];
  private busy = false;

  constructor(
    private readonly store: Store,
    private readonly cache: VmCache,
    private readonly events: EventLog,
  ) {}

  run<T>(work: Work<T>): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      this.queue.push({ work, resolve: resolve as (value: unknown) => void, reject });
      void this.drain();
    });
  }

  private async drain(): Promise<void> {
    if (this.busy) return;
    this.busy = true;
    try {
      while (this.queue.length > 0) {
        // one turn of the event loop first: requests that have arrived meanwhile join the group
        await new Promise((resolve) => setImmediate(resolve));
        const group = this.queue.splice(0, MAX_GROUP);
        if (group.length === 1 || !(await this.commit(group).then(() => true, () => false))) {
          for (const write of group) await this.commit([write]).catch((err: unknown) => write.reject(err));
        }
      }
    } finally {
      this.busy = false;
    }
  }

  /** Runs `writes` in one transaction and settles each; throws (settling none) when the transaction is undone. */
  private async commit(writes: readonly Queued[]): Promise<void> {
    const vms = new VmOverlay(await this.cache.fresh());
    const touched = new Map<string, VmRecord | null>();
    const outcomes: ({ ok: true; value: unknown } | { ok: false; err: unknown })[] = [];
    const committed = await this.store.transaction(async (repos) => {
      const pending: PendingEvent[] = [];
      for (const write of writes) {
        const mine = { events: [] as PendingEvent[], touched: new Map<string, VmRecord | null>(), usedDb: false };
        const ctx: WriteContext = {
          repos: usageOf(repos, () => (mine.usedDb = true)),
          vms,
          emit: (name, subject, payload) => mine.events.push({ name, subject, payload }),
          touch: (uuid, record) => mine.touched.set(uuid, record),
        };
        try {
          outcomes.push({ ok: true, value: await write.work(ctx) });
        } catch (err) {
          if (writes.length === 1) throw err;
          if (mine.usedDb) throw new GroupUndone();
          outcomes.push({ ok: false, err });
          continue;
        }
        pending.push(...mine.events);
        vms.apply(mine.touched);
        for (const [uuid, record] of mine.touched) touched.set(uuid, record);
      }
      return repos.events.appendMany(pending);
    });
    // committed: from here on nothing may throw, or the group would run again
    try {
      this.cache.afterCommit(
        committed.map((e) => e.id),
        touched,
      );
    } catch {
      this.cache.invalidate();
    }
    this.events.publish(committed.map(toCellaEvent));
    outcomes.forEach((o, i) => (o.ok ? writes[i].resolve(o.value) : writes[i].reject(o.err)));
  }
}

/** `repos`, noting when a write first reaches for any repository. */
function usageOf(repos: Repositories, used: () => void): Repositories {
  return new Proxy(repos, {
    get(target, key, receiver) {
      used();
      return Reflect.get(target, key, receiver);
    },
  });
}

export function toCellaEvent(row: EventRow): CellaEvent {
  return { id: row.id, time: row.createdAt.toISOString(), event: row.name, subject: row.subject, payload: row.payload };
}
