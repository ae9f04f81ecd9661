/** Bearer-token authentication: with a token configured, every request must carry it. */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance } from 'fastify';
import { problemOf, sendProblem } from './problem.js';

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

export function registerAuth(app: FastifyInstance, token: string | undefined): void {
  if (!token) return;
  const expected = digest(token);
  app.addHook('onRequest', async (request, reply) => {
    const header = request.headers.authorization ?? '';
    const match = /^Bearer (.+)$/.exec(header);
    if (match && timingSafeEqual(digest(match[1]), expected)) return;
    reply.header('www-authenticate', 'Bearer realm="cella"');
    const detail = match ? 'the bearer token is not valid' : 'send Authorization: Bearer <token> (CELLA_TOKEN)';
    return sendProblem(reply, problemOf('UNAUTHORIZED', detail, { instance: request.url.split('?')[0] }));
  });
}

/** Loopback addresses the manager may listen on without a token. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
