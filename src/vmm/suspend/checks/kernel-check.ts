/**
 * A kernel section (`<uuid>/kernel`) with the VM's bounds: one saved vCPU per vCPU of its spec (each
 * in its machine's paused or stopped state), the kernel process, the console ring of the spec's
 * size, the in-memory files, the watches, the kernel objects, processes and jobs, the services, the
 * qrexec agent and the guest's calls. The objects' counter bounds every endpoint named elsewhere,
 * and the processes' pids bound the jobs, so those parts are checked once the objects are.
 */
import { z } from 'zod';
import { XENSTORE_ABS_PATH_MAX, XENSTORE_PAYLOAD_MAX } from '../../../xenstore/xs-path.js';
import { agentStateSchema, guestCallsSchema } from './agent-check.js';
import type { AddressMap } from './address-map.js';
import { base64, count, decodedLength, forward, where, type VmBounds } from './bounds.js';

const ANY_PAGE: AddressMap = { maps: () => true, mapsRange: () => true };
import { jobTableSchema, objectsSchema, processTableSchema, pvProcessSchema, vcpuStateSchema } from './process-check.js';

/** xstate's persisted snapshot of a vCPU machine: a live vCPU was paused by the suspend, another is stopped. */
const machineSchema = z.looseObject({
  status: z.literal('active'),
  value: z.enum(['paused', 'stopped'], 'neither paused nor stopped'),
  context: z.strictObject({ wokenWhilePaused: z.boolean(), blockedBeforePause: z.boolean() }),
});

function vcpusSchema(b: VmBounds) {
  // a vCPU that never started (or stopped) keeps a pc that means nothing: only a live one's must be mapped
  const entry = (hart: number) => where(
    z.strictObject({ vcpu: vcpuStateSchema(ANY_PAGE, hart), live: z.boolean(), machine: machineSchema.optional() })
      .superRefine((v, ctx) => {
        if (v.live) forward(ctx, vcpuStateSchema(b.kernelSpace, hart).safeParse(v.vcpu), 'vcpu');
      }),
    (v) => v.machine === undefined || (v.machine.value === 'paused') === v.live,
    (v) => `machine.value: ${v.machine?.value} for a vCPU that is ${v.live ? 'live' : 'not live'}`,
  );
  return z.array(z.unknown()).length(b.vcpus, `not the spec's ${b.vcpus} vCPUs`)
    .superRefine((list, ctx) => list.forEach((v, i) => forward(ctx, entry(i).safeParse(v), i)));
}

function consoleSchema(b: VmBounds) {
  return where(
    z.strictObject({
      capacity: z.literal(b.consoleBuffer, `not the spec's console buffer (${b.consoleBuffer} bytes)`),
      total: count,
      data: base64(b.consoleBuffer),
    }),
    (c) => decodedLength(c.data) === Math.min(c.total, c.capacity),
    (c) => `data: ${decodedLength(c.data)} bytes, where ${c.total} written into ${c.capacity} leave ${Math.min(c.total, c.capacity)}`,
  );
}

/** The parts that do not depend on the objects: checked first, their `objects.next` bounds the rest. */
function baseSchema(b: VmBounds) {
  return z.looseObject({
    vcpus: vcpusSchema(b),
    process: pvProcessSchema(b.kernelSpace, b.ramBytes, b.liveBrk),
    console: consoleSchema(b),
    files: z.array(z.tuple([z.string().min(1).max(4096), base64(256 * 1024 * 1024)])).max(65_536),
    watches: z.array(z.strictObject({ path: z.string().max(XENSTORE_ABS_PATH_MAX), token: z.string().max(XENSTORE_PAYLOAD_MAX) })).max(65_536),
    pendingWake: z.number().int().min(0).max(3, 'not a set of wake reasons'),
    shutdownRequested: z.boolean(),
    exitsByReason: z.record(z.string().max(64), count),
    objects: objectsSchema,
    services: z.strictObject({ nextSeed: count }),
  });
}

export function kernelSectionSchema(b: VmBounds) {
  return baseSchema(b).superRefine((k, ctx) => {
    const next = k.objects.next;
    const processes = processTableSchema(b.ramBytes, next, b.processSpace).safeParse(k.processes);
    forward(ctx, processes, 'processes');
    const pids = new Set(processes.success ? processes.data.processes.map((p) => p.pid) : []);
    forward(ctx, jobTableSchema(next, pids).safeParse(k.jobs), 'jobs');
    forward(ctx, agentStateSchema(b, next).safeParse(k.agent), 'agent');
    forward(ctx, guestCallsSchema.safeParse(k.guestCalls), 'guestCalls');
    const known = new Set(['vcpus', 'process', 'console', 'files', 'watches', 'pendingWake', 'shutdownRequested', 'exitsByReason', 'objects', 'services', 'processes', 'jobs', 'agent', 'guestCalls']);
    for (const key of Object.keys(k)) if (!known.has(key)) ctx.addIssue({ code: 'custom', message: 'not a part of a kernel state', path: [key] });
  });
}

