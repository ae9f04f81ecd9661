/**
 * Who is calling: with CELLA_TOKEN set, every request needs `Authorization: Bearer <token>`; that
 * token is dom0. A token created through the API is bound to a management VM, and its calls are
 * checked against the policy (admin-check.ts). Without CELLA_TOKEN, a request with no header is
 * dom0 (the manager listens on loopback only then).
 *
 * A browser cannot set headers on a websocket, so a websocket upgrade may carry the token as a
 * subprotocol instead: `Sec-WebSocket-Protocol: cella, cella.bearer.<base64url of the token>`.
 * The server answers with the plain `cella` protocol, never echoing the secret (ws-protocol.ts).
 * The dashboard's files (routes with `config.anonymous`) hold no data and load without a token.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { Manager } from '../vmm/manager.js';
import { problemOf, sendProblem } from './problem.js';
import { bearerFromProtocols } from './ws-protocol.js';

declare module 'fastify' {
  interface FastifyRequest {
    /** The VM on whose behalf the request runs: `dom0`, or a management VM's name. */
    caller: string;
  }
  interface FastifyContextConfig {
    /** Served without any token: the dashboard's static files. */
    anonymous?: boolean;
  }
}

const digest = (s: string): Buffer => createHash('sha256').update(s).digest();

/** The bearer secret of a request: the Authorization header, or for a websocket upgrade the subprotocol. */
function presented(request: FastifyRequest): { secret: string } | { malformed: string } | null {
  const header = request.headers.authorization;
  if (header !== undefined) {
    const match = /^Bearer (\S+)$/.exec(header);
    return match ? { secret: match[1] } : { malformed: 'the Authorization header must be `Bearer <token>`' };
  }
  if (!request.ws) return null;
  const fromProtocol = bearerFromProtocols(request.headers['sec-websocket-protocol']);
  if (fromProtocol === undefined) return null;
  return fromProtocol === null ? { malformed: 'the cella.bearer subprotocol must carry the token as base64url' } : { secret: fromProtocol };
}

export function registerAuth(app: FastifyInstance, manager: Manager, token: string | undefined): void {
  const expected = token ? digest(token) : null;
  app.decorateRequest('caller', 'dom0');
  app.addHook('onRequest', async (request, reply) => {
    if (request.routeOptions.config?.anonymous) {
      request.caller = '';
      return;
    }
    const given = presented(request);
    if (given === null) {
      if (expected) return refuse(request, reply, 'send Authorization: Bearer <token> (CELLA_TOKEN)');
      request.caller = 'dom0';
      return;
    }
    if ('malformed' in given) return refuse(request, reply, given.malformed);
    if (expected && timingSafeEqual(digest(given.secret), expected)) {
      request.caller = 'dom0';
      return;
    }
    const vm = await manager.execute({ type: 'auth.token', secret: given.secret });
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
