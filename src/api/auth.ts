/**
 * Who is calling: with CELLA_TOKEN set, every request needs `Authorization: Bearer <token>`; that
 * token is dom0. A token created through the API is bound to a management VM, and its calls are
 * checked against the policy (admin-check.ts). Without CELLA_TOKEN, a request with no header is
 * dom0 (the manager listens on loopback only then).
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Manager } from '../vmm/manager.js';
import { problemOf, sendProblem } from './problem.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The VM on whose behalf the request runs: `dom0`, or a management VM's name. */
    caller: string;
  }
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

export function registerAuth(app: FastifyInstance, manager: Manager, token: string | undefined): void {
  const expected = token ? digest(token) : null;
  app.decorateRequest('caller', 'dom0');
  app.addHook('onRequest', async (request, reply) => {
    const header = request.headers.authorization;
    if (header === undefined) {
      if (expected) return refuse(request, reply, 'send Authorization: Bearer <token> (CELLA_TOKEN)');
      request.caller = 'dom0';
      return;
    }
    const match = /^Bearer (\S+)$/.exec(header);
    if (!match) return refuse(request, reply, 'the Authorization header must be `Bearer <token>`');
    if (expected && timingSafeEqual(digest(match[1]), expected)) {
      request.caller = 'dom0';
      return;
    }
    const vm = await manager.execute({ type: 'auth.token', secret: match[1] });
    if (vm === null) return refuse(request, reply, 'the bearer token is not valid');
    request.caller = vm;
  });
}

function refuse(request: FastifyRequest, reply: FastifyReply, detail: string): FastifyReply {
  reply.header('www-authenticate', 'Bearer realm="cella"');
  return sendProblem(reply, problemOf('UNAUTHORIZED', detail, { instance: request.url.split('?')[0] }));
}

/** Loopback addresses the manager may listen on without a token. */
export function isLoopback(host: string): boolean {
  return host === 'localhost' || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}
