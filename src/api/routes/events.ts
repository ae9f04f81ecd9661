/** /api/v1/events: the history (HTTP) and the live stream (websocket on the same path). */
import type { Manager } from '../../vmm/manager.js';
import { streamEvents } from '../event-stream.js';
import { EventPage, EventsQuery } from '../schemas/events.js';
import { NotModified } from '../schemas/not-modified.js';
import { problems } from '../schemas/problem.js';
import { global } from '../admin-check.js';
import type { PageCache } from '../page-cache.js';
import type { ZodApp } from './types.js';

export function eventRoutes(app: ZodApp, manager: Manager, pages: PageCache): void {
  app.route({
    method: 'GET',
    url: '/api/v1/events',
    config: { admin: global('admin.Events') },
    schema: {
      operationId: 'listEvents',
      tags: ['events'],
      summary: 'Event history after a cursor (admin.Events); upgrade to a websocket for the live stream',
      description:
        'As HTTP: events with id > `since`, oldest first, at most `limit`. As a websocket (same path, ' +
        '`since` optional): first `{"type":"connection-established","last_id":N}`, then every event after `since` ' +
        '(or after N when `since` is absent) as `{"type":"event",...}` in id order, history then live, with no gap. ' +
        'A `since` beyond the last event counts as the last event: connection-established then names the real last id. ' +
        'Message schema: EventStreamMessage. A reader too slow to keep up is closed with code 1013; it reconnects with ' +
        '`since` set to the last id it saw. The HTTP answer has an ETag; sent back in If-None-Match, it is answered 304 ' +
        'while the page is unchanged.',
      querystring: EventsQuery,
      response: { 200: EventPage, 304: NotModified, ...problems(400, 401) },
    },
    handler: async (req, reply) =>
      pages.serve(req, reply, await manager.viewVersion('events', req.caller), async () => {
        const page = await manager.execute({ type: 'events.history', since: req.query.since, limit: req.query.limit, caller: req.caller });
        return { events: page.events, last_id: page.lastId };
      }),
    wsHandler: (socket, req) => {
      const since = (req.query as { since?: number }).since;
      const given = new URL(req.url, 'http://x').searchParams.has('since');
      streamEvents(socket, manager, given ? since : undefined, req.caller);
    },
  });
}
