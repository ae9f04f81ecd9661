/** Schemas of suspend files (snapshots) and the suspend/resume requests. */
import { z } from 'zod';
import { SNAPSHOT_FILE_PATTERN } from '../../vmm/suspend/suspend-resume.js';

const SnapshotFile = z
  .string()
  .regex(SNAPSHOT_FILE_PATTERN, 'a plain file name ending in .cella (letters, digits, . _ -)')
  .describe('File name in the data directory’s snapshots/ (default: <id>.cella); an existing one is replaced only once the new file is whole');

export const SuspendBody = z.strictObject({ file: SnapshotFile.optional() }).meta({ id: 'SuspendRequest' });

export const ResumeBody = z
  .strictObject({ snapshot: z.string().min(1).max(200).optional().describe('The snapshot to resume from; by default the one the VM was suspended into') })
  .meta({ id: 'ResumeRequest' });

export const SnapshotGroupBody = z
  .strictObject({
    vms: z.array(z.string().min(1).max(31)).max(1000).optional().describe('The VMs to suspend together'),
    all: z.boolean().default(false).describe('Every running or paused VM'),
    exclude: z.array(z.string().min(1).max(31)).max(1000).default([]).describe('With all: VMs to leave running'),
    file: SnapshotFile.optional(),
  })
  .refine((b) => (b.vms !== undefined && b.vms.length > 0) !== b.all, { message: 'give either vms (a non-empty list) or all: true' })
  .meta({ id: 'SnapshotGroupRequest' });

export const Snapshot = z
  .object({
    id: z.string(),
    file: z.string(),
    vms: z.array(z.object({ uuid: z.string(), name: z.string(), domid: z.number().int(), memory_mib: z.number().int() })),
    bytes: z.number().int().describe('File size'),
    sha256: z.string().describe('The SHA-256 the file ends with (over everything before it)'),
    format_version: z.number().int(),
    cella_version: z.string(),
    reason: z.enum(['request', 'idle', 'host-stop']).describe('Why it was written: asked for, the VM was idle (autosuspend_idle_s), or the manager stopped (on_host_stop=suspend; resumed when it starts again)'),
    created_at: z.string(),
    suspended: z.array(z.string()).describe('VMs suspended into it now (resume them from it)'),
  })
  .meta({ id: 'Snapshot' });

export const OrphanFile = z
  .object({
    file: z.string().describe('File name in snapshots/; remove it with DELETE /api/v1/snapshots/{file}'),
    bytes: z.number().int(),
    modified_at: z.string(),
  })
  .meta({ id: 'OrphanSnapshotFile', description: 'A file in the snapshot directory without an index entry (a crash between its rename and the index, or a file brought in by hand): it cannot be resumed' });

export const SnapshotList = z
  .object({ snapshots: z.array(Snapshot), orphans: z.array(OrphanFile).describe('Files without an index entry') })
  .meta({ id: 'SnapshotList' });

export const PruneBody = z
  .strictObject({ orphans: z.boolean().optional().describe('Remove the orphan files too (default false)') })
  .meta({ id: 'PruneRequest' });

export const PruneResult = z
  .object({
    snapshots: z.array(z.string()).describe('Ids of the snapshots removed with their files'),
    orphans: z.array(z.string()).describe('Orphan files removed'),
  })
  .meta({ id: 'PruneResult' });

export const SnapshotIdParam = z.strictObject({ id: z.string().min(1).max(200) });
