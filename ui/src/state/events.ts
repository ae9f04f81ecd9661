/**
 * The one events websocket of the page (/api/v1/events): every store listens here. It starts at the
 * live end, and after a drop it reconnects with since=<last id seen>, so no event is missed or repeated.
 */
import { get, type Schemas } from '../lib/api.js';
import { keepOpen, type Live } from '../lib/socket.js';
import { Store } from '../lib/store.js';

export type CellaEvent = Schemas['Event'];
type Listener = (e: CellaEvent) => void;

class EventHub {
  /** The id of the last event seen (or the stream's start): the cursor to resume from. */
  lastId = 0;
  readonly connected = new Store(false);
  /** Set once the first connection-established arrived: stores load their lists then. */
  readonly started = new Store(false);
  private readonly listeners = new Set<Listener>();
  private live: Live | null = null;

  start(): void {
    if (this.live) return;
    this.live = keepOpen({
      path: () => (this.started.get() ? `/api/v1/events?since=${this.lastId}` : '/api/v1/events'),
      onMessage: (data) => this.receive(JSON.parse(data) as { type: string } & Partial<CellaEvent> & { last_id?: number }),
      onState: (open) => this.connected.set(open),
    });
  }

  stop(): void {
    this.live?.stop();
    this.live = null;
    this.started.set(false);
  }

  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private receive(msg: { type: string; last_id?: number } & Partial<CellaEvent>): void {
    if (msg.type === 'connection-established') {
      if (!this.started.get()) this.lastId = msg.last_id ?? 0;
      this.started.set(true);
      return;
    }
    if (msg.type !== 'event') return;
    const e = msg as CellaEvent;
    this.lastId = e.id;
    for (const listener of [...this.listeners]) {
      try {
        listener(e);
      } catch (err) {
        console.error(`cella: a listener failed on event ${e.id} (${e.event}):`, err);
      }
    }
  }
}

export const hub = new EventHub();

/** Up to `limit` past events (the last 1000 ids before the stream's start) that pass `keep`, oldest first. */
export async function recentEvents(keep: (e: CellaEvent) => boolean, limit = 200): Promise<CellaEvent[]> {
  const since = Math.max(0, hub.lastId - 1000);
  const page = await get<Schemas['EventPage']>(`/api/v1/events?since=${since}&limit=1000`);
  return page.events.filter(keep).slice(-limit);
}
