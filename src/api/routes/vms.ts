/** /api/v1/vms: list, create, get, change properties, delete. */
import { z } from 'zod';
import type { Manager } from '../../vmm/manager.js';
import { NotModified } from '../schemas/not-modified.js';
import { problems } from '../schemas/problem.js';
import { Vm, VmCreate, VmList, VmListQuery, VmNameParam, VmPatch } from '../schemas/vm.js';
import { global, onVm } from '../admin-check.js';
import type { PageCache } from '../page-cache.js';
import type { ZodApp } from './types.js';

export function vmRoutes(app: ZodApp, manager: Manager, pages: PageCache): void {
  app.get('/api/v1/vms', {
    config: { admin: global('admin.vm.List') },
    schema: {
      operationId: 'listVms',
      tags: ['vms'],
      summary: 'List VMs (admin.vm.List)',
      description: 'The answer has an ETag; sent back in If-None-Match, it is answered 304 while the page is unchanged.',
      querystring: VmListQuery,
      response: { 200: VmList, 304: NotModified, ...problems(400, 401) },
    },
    handler: async (req, reply) => {
      const { offset, limit, class: klass, label, tag, state } = req.query;
      return pages.serve(req, reply, await manager.viewVersion('vms', req.caller), async () => {
        const page = await manager.execute({ type: 'vm.list', filter: { klass, label, tag, state }, offset, limit, caller: req.caller });
        return { ...page, offset, limit };
      });
    },
  });

  app.post('/api/v1/vms', {
    config: {
      admin: (req) => {
        const body = req.body as { class?: string; template?: string } | undefined;
        return [{ method: `admin.vm.Create.${body?.class ?? 'AppVM'}`, dest: 'dom0', argument: body?.template ? `+${body.template}` : '' }];
      },
    },
    schema: {
      operationId: 'createVm',
      tags: ['vms'],
      summary: 'Create a VM (admin.vm.Create.<class>)',
      body: VmCreate,
      response: { 201: Vm, ...problems(400, 401, 409, 413, 415, 422) },
    },
    handler: async (req, reply) => {
      const { name, class: klass, label, template, properties } = req.body;
      const vm = await manager.execute({ type: 'vm.create', name, klass, label, template, properties: properties as Record<string, never> });
      return reply.code(201).header('location', `/api/v1/vms/${encodeURIComponent(vm.name)}`).send(vm);
    },
  });

  app.get('/api/v1/vms/:name', {
    config: { admin: onVm('admin.vm.property.GetAll') },
    schema: {
      operationId: 'getVm',
      tags: ['vms'],
      summary: 'Get a VM with its properties (admin.vm.property.GetAll)',
      params: VmNameParam,
      response: { 200: Vm, ...problems(400, 401, 404) },
    },
    handler: (req) => manager.execute({ type: 'vm.get', name: req.params.name }),
  });

  app.patch('/api/v1/vms/:name', {
    config: {
      // the answer is the whole record, so a PATCH is a GetAll too (also when it changes nothing)
      admin: (req) => [
        ...Object.entries((req.body ?? {}) as Record<string, unknown>).map(([prop, value]) => ({
          method: value === null ? 'admin.vm.property.Reset' : 'admin.vm.property.Set',
          dest: (req.params as { name: string }).name,
          argument: `+${prop}`,
        })),
        ...onVm('admin.vm.property.GetAll')(req),
      ],
    },
    schema: {
      operationId: 'updateVm',
      tags: ['vms'],
      summary: 'Set or reset properties (admin.vm.property.Set / Reset); null resets',
      params: VmNameParam,
      body: VmPatch,
      response: { 200: Vm, ...problems(400, 401, 404, 409, 413, 415, 422) },
    },
    handler: (req) =>
      manager.execute({ type: 'vm.update', name: req.params.name, changes: req.body as Record<string, string | number | boolean | null> }),
  });

  app.delete('/api/v1/vms/:name', {
    config: { admin: onVm('admin.vm.Remove') },
    schema: {
      operationId: 'deleteVm',
      tags: ['vms'],
      summary: 'Remove a VM (admin.vm.Remove); refused while other VMs use it',
      params: VmNameParam,
      response: { 204: z.undefined().describe('Removed'), ...problems(400, 401, 404, 409) },
    },
    handler: async (req, reply) => {
      await manager.execute({ type: 'vm.delete', name: req.params.name });
      return reply.code(204).send();
    },
  });
}
