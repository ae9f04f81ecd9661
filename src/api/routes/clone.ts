/** POST /api/v1/vms/{name}/clone: a copy of a VM under a new name (qvm-clone), made whole or not at all. */
import type { Manager } from '../../vmm/manager.js';
import { VmClone } from '../schemas/clone.js';
import { problems } from '../schemas/problem.js';
import { Vm, VmNameParam } from '../schemas/vm.js';
import type { ZodApp } from './types.js';

export function cloneRoutes(app: ZodApp, manager: Manager): void {
  // no admin.* call: Qubes has no single Admin API method for a clone, so the route is dom0's alone
  app.post('/api/v1/vms/:name/clone', {
    schema: {
      operationId: 'cloneVm',
      tags: ['vms'],
      summary: "Clone a VM: its class (or the one given), label, template, the properties set on it, its tags (less created-by-*) and features, under a new name; all or nothing",
      params: VmNameParam,
      body: VmClone,
      response: { 201: Vm, ...problems(400, 401, 404, 409, 413, 415, 422) },
    },
    handler: async (req, reply) => {
      const vm = await manager.execute({ type: 'vm.clone', source: req.params.name, name: req.body.name, klass: req.body.class });
      return reply.code(201).header('location', `/api/v1/vms/${encodeURIComponent(vm.name)}`).send(vm);
    },
  });
}
