/** /api/v1/tokens: API tokens bound to management VMs; dom0 only. */
import { z } from 'zod';
import type { Manager } from '../../vmm/manager.js';
import { TokenCreate, TokenCreated, TokenInfo } from '../schemas/policy.js';
import { problems } from '../schemas/problem.js';
import type { ZodApp } from './types.js';

export function tokenRoutes(app: ZodApp, manager: Manager): void {
  app.get('/api/v1/tokens', {
    schema: { operationId: 'listTokens', tags: ['tokens'], summary: 'List API tokens (never their secrets)', response: { 200: z.object({ tokens: z.array(TokenInfo) }), ...problems(401, 403) } },
    handler: async () => ({ tokens: await manager.execute({ type: 'token.list' }) }),
  });

  app.post('/api/v1/tokens', {
    schema: {
      operationId: 'createToken', tags: ['tokens'],
      summary: 'Create a token that acts as a management VM: its calls are checked against the policy as admin.* calls',
      body: TokenCreate, response: { 201: TokenCreated, ...problems(400, 401, 403, 404, 409, 413, 415) },
    },
    handler: async (req, reply) => {
      const { token, info } = await manager.execute({ type: 'token.create', name: req.body.name, vm: req.body.vm });
      return reply.code(201).send({ ...info, token });
    },
  });

  app.delete('/api/v1/tokens/:name', {
    schema: {
      operationId: 'deleteToken', tags: ['tokens'], summary: 'Revoke a token',
      params: z.object({ name: z.string().min(1).max(64) }), response: { 204: z.undefined().describe('Revoked'), ...problems(400, 401, 403, 404) },
    },
    handler: async (req, reply) => {
      await manager.execute({ type: 'token.delete', name: req.params.name });
      return reply.code(204).send();
    },
  });
}
