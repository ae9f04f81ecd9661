/** Event schemas: the history page and the websocket messages. */
import { z } from 'zod';

export const Event = z
  .object({
    id: z.number().int().describe('Monotonic id: the resume cursor'),
    time: z.string().describe('When it was recorded (ISO 8601)'),
    event: z.string().describe('Qubes event name, e.g. domain-add, property-set:memory'),
    subject: z.string().nullable().describe('The VM the event is about; null for global events'),
    payload: z.record(z.string(), z.unknown()).describe('Event arguments (Qubes kwargs)'),
  })
  .meta({ id: 'Event' });

export const EventsQuery = z.strictObject({
  since: z.coerce.number().int().min(0).default(0).describe('Return events with id greater than this'),
  limit: z.coerce.number().int().min(1).max(1000).default(1000).describe('At most this many events'),
});

export const EventPage = z
  .object({
    events: z.array(Event),
    last_id: z.number().int().describe('Id to pass as `since` next time'),
  })
  .meta({ id: 'EventPage' });

/** Websocket messages, server to client: first connection-established, then events in id order. */
export const EventStreamMessage = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('connection-established'), last_id: z.number().int() }),
    z.object({ type: z.literal('event') }).extend(Event.shape),
  ])
  .meta({ id: 'EventStreamMessage' });
