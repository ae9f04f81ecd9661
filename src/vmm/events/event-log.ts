/** Live fan-out of committed events, in id order, to subscribers (the websocket stream, tests). */
export interface CellaEvent {
  readonly id: number;
  readonly time: string;
  readonly event: string;
  readonly subject: string | null;
  readonly payload: Record<string, unknown>;
}

export type EventListener = (event: CellaEvent) => void;

export class EventLog {
  private readonly listeners = new Set<EventListener>();

  subscribe(listener: EventListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Hands committed events to every subscriber; a throwing subscriber does not stop the others. */
  publish(events: readonly CellaEvent[]): void {
    for (const event of events) {
      for (const listener of this.listeners) {
        try {
          listener(event);
        } catch {
          // a subscriber's failure is its own; the log goes on
        }
      }
    }
  }

  get subscriberCount(): number {
    return this.listeners.size;
  }
}
