/** Suspend to file and resume: /api/v1/vms/{name}/suspend|resume and the snapshot index /api/v1/snapshots. */
import { z } from 'zod';
import type { SnapshotRow } from '../../vmm/commands.js';
import type { Manager } from '../../vmm/manager.js';
import { fail } from '../../vmm/errors.js';
import { onVm } from '../admin-check.js';
import { problems } from '../schemas/problem.js';
import { PruneBody, PruneResult, ResumeBody, Snapshot, SnapshotGroupBody, SnapshotIdParam, SnapshotList, SuspendBody } from '../schemas/snapshots.js';
import { Vm, VmNameParam } from '../schemas/vm.js';
import type { ZodApp } from './types.js';

export function snapshotRoutes(app: ZodApp, manager: Manager): void {
  const view = (row: SnapshotRow) => ({
    id: row.id, file: row.file, vms: row.vms, bytes: row.bytes, sha256: row.sha256, format_version: row.formatVersion,
    cella_version: row.cellaVersion, reason: row.reason, created_at: row.createdAt.toISOString(),
    suspended: manager.snapshots.suspendedInto(row),
  });

  app.post('/api/v1/vms/:name/suspend', {
    config: { admin: onVm('admin.vm.Suspend') },
    schema: {
      operationId: 'suspendVm',
      tags: ['snapshots'],
      summary: 'Suspend a running or paused VM to a file (admin.vm.Suspend)',
      description:
        'Stops its vCPUs at an instruction boundary and writes its whole state (crash-safely: FILE.part, fsync, rename). Its domain keeps its ' +
        'event channels, grants and vchans: peers see it stalled, not dead. Progress is on the event stream (snapshot-progress).',
      params: VmNameParam,
      body: SuspendBody,
      response: { 200: z.object({ vm: Vm, snapshot: Snapshot }), ...problems(400, 401, 404, 409, 413, 415, 507) },
    },
    handler: async (req) => {
      const r = await manager.execute({ type: 'vm.suspend', name: req.params.name, file: req.body.file });
      return { vm: r.vm, snapshot: view(r.snapshot) };
    },
  });

  app.post('/api/v1/vms/:name/resume', {
    config: { admin: onVm('admin.vm.Resume') },
    schema: {
      operationId: 'resumeVm',
      tags: ['snapshots'],
      summary: 'Resume a suspended VM from its snapshot (admin.vm.Resume)',
      description: 'The whole file is verified first (magic, version, checksum, structure, the VM’s state); a refused resume changes nothing.',
      params: VmNameParam,
      body: ResumeBody,
      response: { 200: Vm, ...problems(400, 401, 404, 409, 413, 415, 422, 507) },
    },
    handler: (req) => manager.execute({ type: 'vm.resume', name: req.params.name, snapshot: req.body.snapshot }),
  });

  app.post('/api/v1/snapshots', {
    schema: {
      operationId: 'createSnapshot',
      tags: ['snapshots'],
      summary: 'Suspend a group of VMs (or all) together into one consistent file',
      params: z.strictObject({}),
      body: SnapshotGroupBody,
      response: { 201: Snapshot, ...problems(400, 401, 404, 409, 413, 415, 507) },
    },
    handler: async (req, reply) => {
      const names = req.body.all ? await suspendable(manager, req.body.exclude) : req.body.vms!;
      const row = await manager.execute({ type: 'snapshot.create', names, file: req.body.file });
      return reply.code(201).send(view(row));
    },
  });

  app.get('/api/v1/snapshots', {
    schema: { operationId: 'listSnapshots', tags: ['snapshots'], summary: 'The snapshot index, newest first, and the files without an entry', response: { 200: SnapshotList, ...problems(401) } },
    handler: async () => ({
      snapshots: (await manager.execute({ type: 'snapshot.list' })).map(view),
      orphans: (await manager.execute({ type: 'snapshot.orphans' })).map((o) => ({ file: o.file, bytes: o.bytes, modified_at: o.modifiedAt.toISOString() })),
    }),
  });

  app.post('/api/v1/snapshots/prune', {
    schema: {
      operationId: 'pruneSnapshots', tags: ['snapshots'],
      summary: 'Remove every snapshot no VM is suspended into, with its file (and with orphans: true, the files without an index entry)',
      params: z.strictObject({}), body: PruneBody.optional(), response: { 200: PruneResult, ...problems(400, 401, 413, 415) },
    },
    handler: async (req) => {
      const r = await manager.execute({ type: 'snapshot.prune', orphans: req.body?.orphans ?? false });
      return { snapshots: [...r.snapshots], orphans: [...r.orphans] };
    },
  });

  app.get('/api/v1/snapshots/:id', {
    schema: { operationId: 'getSnapshot', tags: ['snapshots'], summary: 'One snapshot', params: SnapshotIdParam, response: { 200: Snapshot, ...problems(400, 401, 404) } },
    handler: async (req) => view(await manager.execute({ type: 'snapshot.get', id: req.params.id })),
  });

  app.delete('/api/v1/snapshots/:id', {
    schema: {
      operationId: 'deleteSnapshot', tags: ['snapshots'], summary: 'Remove a snapshot and its file (refused while a VM is suspended into it), or an orphan file by its name',
      params: SnapshotIdParam, response: { 204: z.undefined().describe('Removed'), ...problems(400, 401, 404, 409) },
    },
    handler: async (req, reply) => {
      await manager.execute({ type: 'snapshot.delete', id: req.params.id });
      return reply.code(204).send();
    },
  });

  app.post('/api/v1/snapshots/:id/resume', {
    schema: {
      operationId: 'resumeSnapshot', tags: ['snapshots'], summary: 'Resume every VM suspended into this snapshot (a group resume)',
      params: SnapshotIdParam, response: { 200: z.object({ vms: z.array(Vm) }), ...problems(400, 401, 404, 409, 422, 507) },
    },
    handler: async (req) => ({ vms: await manager.execute({ type: 'snapshot.resume', id: req.params.id }) }),
  });
}

/** Running or paused VMs, but the excluded ones. */
async function suspendable(manager: Manager, exclude: readonly string[]): Promise<string[]> {
  const { items } = await manager.execute({ type: 'vm.list', filter: {}, offset: 0, limit: 100_000 });
  const names = items.filter((vm) => (vm.state === 'running' || vm.state === 'paused') && vm.class !== 'AdminVM' && !exclude.includes(vm.name)).map((vm) => vm.name);
  if (names.length === 0) fail('INVALID_STATE', 'no running or paused VM to suspend', { state: 'halted' });
  return names;
}
