/**
 * Admin API authorisation: each route declares, beside its handler, the Qubes admin.* call(s) it
 * amounts to (method, destination, argument); a management VM's request runs only when the policy
 * allows every one with target=dom0, else 403 naming the deciding rule. Routes that declare none
 * are dom0's alone. dom0 is not governed by the policy.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { Manager } from '../vmm/manager.js';
import { problemOf, sendProblem } from './problem.js';

export interface AdminCall {
  readonly method: string;
  /** The qube the call is about, or `dom0` for global methods. */
  readonly dest: string;
  /** qrexec form: '' or '+value'. */
  readonly argument?: string;
}

export type AdminSpec = (request: FastifyRequest) => AdminCall[];

declare module 'fastify' {
  interface FastifyContextConfig {
    /** The admin.* calls this route amounts to; absent = dom0 only. */
    admin?: AdminSpec;
    /** Open to every authenticated caller (health, documents). */
    public?: boolean;
  }
}

/** One call about the VM named in the path. */
export const onVm = (method: string, argument?: (req: FastifyRequest) => string): AdminSpec => (req) => [
  { method, dest: (req.params as { name: string }).name, argument: argument?.(req) ?? '' },
];

/** One global call (destination dom0). */
export const global = (method: string, argument?: (req: FastifyRequest) => string): AdminSpec => (req) => [
  { method, dest: 'dom0', argument: argument?.(req) ?? '' },
];

export function registerAdminCheck(app: FastifyInstance, manager: Manager): void {
  app.addHook('preHandler', async (request, reply) => {
    if (request.caller === 'dom0') return;
    const config = request.routeOptions.config;
    const url = request.routeOptions.url;
    // the admin API and /metrics are guarded; the documents (/docs, /openapi.json) and health are open
    if (config.public || !url || !(url.startsWith('/api/') || url === '/metrics')) return;
    const calls = config.admin?.(request) ?? [];
    // a request that amounts to no admin call at all is dom0's: nothing unchecked ever runs for a VM
    if (calls.length === 0) {
      return sendProblem(reply, problemOf('FORBIDDEN', `only dom0 may call ${request.method} ${request.routeOptions.url}`, { instance: request.url.split('?')[0] }));
    }
    for (const call of calls) {
      const auth = await manager.execute({ type: 'auth.check', caller: request.caller, method: call.method, dest: call.dest, argument: call.argument ?? '' });
      if (!auth.allowed) {
        return sendProblem(
          reply,
          problemOf('FORBIDDEN', `${call.method}${call.argument ?? ''} from ${request.caller} to ${call.dest}: ${auth.reason}`, {
            instance: request.url.split('?')[0],
            details: { method: call.method, dest: call.dest, argument: call.argument ?? '', rule: auth.rule },
          }),
        );
      }
    }
  });
}
