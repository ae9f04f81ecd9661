/** Events as a live table, newest first: the recent history, then what the stream brings. */
import { useEffect, useState } from 'preact/hooks';
import { time } from '../lib/format.js';
import { hub, recentEvents, type CellaEvent } from '../state/events.js';

const KEEP = 200;

/** The recent history that passes `keep`, then the live ones, at most 200, newest first. */
export function useEvents(keep: (e: CellaEvent) => boolean, deps: unknown[]): CellaEvent[] {
  const [events, setEvents] = useState<CellaEvent[]>([]);
  useEffect(() => {
    setEvents([]);
    const add = (list: CellaEvent[]) =>
      setEvents((old) => {
        const seen = new Set(old.map((e) => e.id));
        return [...list.filter((e) => !seen.has(e.id)), ...old].sort((a, b) => b.id - a.id).slice(0, KEEP);
      });
    const off = hub.on((e) => keep(e) && add([e]));
    recentEvents(keep, KEEP).then(add, (err: unknown) => console.warn('cella: no event history:', err));
    return off;
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, deps);
  return events;
}

function payloadText(p: Record<string, unknown>): string {
  return Object.entries(p)
    .filter(([, v]) => v !== null && v !== undefined && v !== '')
    .map(([k, v]) => `${k}=${typeof v === 'object' ? JSON.stringify(v) : String(v)}`)
    .join(' ');
}

export function EventTable({ events, label }: { events: CellaEvent[]; label: string }) {
  if (events.length === 0) return <p class="muted">No events yet.</p>;
  return (
    <div class="scroll">
      <table class="compact events" aria-label={label}>
        <thead>
          <tr>
            <th scope="col">#</th>
            <th scope="col">Time</th>
            <th scope="col">Event</th>
            <th scope="col">Details</th>
          </tr>
        </thead>
        <tbody>
          {events.map((e) => (
            <tr key={e.id} data-event={e.event}>
              <td class="num">{e.id}</td>
              <td>{time(e.time)}</td>
              <td><code>{e.event}</code></td>
              <td class="payload">{payloadText(e.payload)}</td>
            </tr>
          ))}
        </tbody>
      </table>
    </div>
  );
}
