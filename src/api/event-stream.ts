/**
 * The live event stream over a websocket. A client that passes `since` gets every event after
 * it, then live ones, with no gap and no repeat: it subscribes first, replays the history, then
 * flushes what arrived meanwhile, skipping ids it already sent.
 */
import type { WebSocket } from 'ws';
import type { CellaEvent } from '../vmm/events/event-log.js';
import type { Manager } from '../vmm/manager.js';

/** A client that lets this much pile up unread is cut off; it resumes with `since`. */
export const MAX_BUFFERED_BYTES = 16 * 1024 * 1024;
const REPLAY_PAGE = 1000;

export function streamEvents(socket: WebSocket, manager: Manager, since: number | undefined, caller = 'dom0'): void {
  const visible = manager.eventVisibleTo(caller);
  let lastSent = 0;
  let pending: CellaEvent[] | null = [];
  const send = (e: CellaEvent): void => {
    if (e.id <= lastSent || socket.readyState !== socket.OPEN) return;
    if (!visible(e)) {
      lastSent = e.id;
      return;
    }
    if (socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      socket.close(1013, `too slow; reconnect with since=${lastSent}`);
      return;
    }
    socket.send(JSON.stringify({ type: 'event', ...e }));
    lastSent = e.id;
  };
  const unsubscribe = manager.events.subscribe((e) => (pending ? pending.push(e) : send(e)));
  socket.on('close', unsubscribe);
  socket.on('error', unsubscribe);

  void (async () => {
    // A cursor past the last event starts at the last event, as the HTTP route's last_id says it is.
    const last = await manager.execute({ type: 'events.last' });
    const cursor = since === undefined ? last : Math.min(since, last);
    lastSent = cursor;
    socket.send(JSON.stringify({ type: 'connection-established', last_id: cursor }));
    for (;;) {
      const page = await manager.execute({ type: 'events.history', since: lastSent, limit: REPLAY_PAGE });
      page.events.forEach(send);
      if (page.events.length < REPLAY_PAGE || socket.readyState !== socket.OPEN) break;
    }
    const arrived = pending ?? [];
    pending = null;
    arrived.forEach(send);
  })().catch(() => socket.terminate());
}
