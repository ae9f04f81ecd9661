/**
 * The qrexec agent of a kernel section with its bounds: its control vchan (the server end dom0's
 * daemon connects to, at VCHAN_BASE_PORT, on a port the domain has bound), the vchans of the calls
 * it serves and makes (ends of this domain, ports bound in it, grant refs of its table, frames of
 * its RAM or slots of its grant-mapping window), their qrexec links and call sides, and the frame
 * allocators those came from.
 */
import { z } from 'zod';
import { VCHAN_BASE_PORT } from '../../../qrexec/protocol/qrexec-constants.js';
import { ordersValid } from '../../../qrexec/vchan/ring-orders.js';
import { GRANT_MAP_WINDOW_SIZE } from '../../../grant-tables/grant-domain.js';
import { FRAME_SIZE } from '../../../vcpu/memory-layout.js';
import { base64, count, domid, int32, ownGrantRef, portNumber, positiveId, ramFrame, u32, unboundPort, where, windowFrame, type VmBounds } from './bounds.js';
import { endpointSchema } from './process-check.js';

/** A qrexec message at most (a data chunk is 64 KiB; a command line far less). */
const MAX_MESSAGE = 1024 * 1024;
/** Bytes a link may hold queued (its outbox, a receiver's held data). */
const MAX_QUEUED = 64 * 1024 * 1024;

function vchanEndSchema(b: VmBounds) {
  const shared = z.strictObject({ gpa: ramFrame(b.ramBytes), refs: z.array(ownGrantRef(b)).max(512) });
  const mapped = z.strictObject({ hostAddr: windowFrame, handles: z.array(u32).max(512), readonly: z.boolean() });
  return where(
    z.strictObject({
      role: z.enum(['server', 'client']),
      domid: z.literal(b.domid, `not this VM's domain (${b.domid})`),
      peer: domid,
      vchanPort: u32,
      port: portNumber(b),
      orders: where(z.strictObject({ left: z.number().int(), right: z.number().int() }), ordersValid, () => 'ring orders that are not acceptable'),
      closed: z.boolean(),
      share: z.strictObject({
        ctrl: shared, left: shared.nullable(), right: shared.nullable(),
        pending: z.array(z.strictObject({ ref: ownGrantRef(b), gpa: ramFrame(b.ramBytes) })).max(4096),
      }).nullable(),
      mapping: z.strictObject({ ctrl: mapped, left: mapped.nullable(), right: mapped.nullable() }).nullable(),
    }),
    (e) => (e.role === 'server' ? e.share !== null && e.mapping === null : e.share === null),
    (e) => (e.role === 'server' ? 'a server end needs its shared frames and has no mappings' : 'a client end shares no frames'),
  ).superRefine((e, ctx) => {
    // a closed end has closed its port too
    const why = e.closed ? null : unboundPort(b, e.port);
    if (why) ctx.addIssue({ code: 'custom', message: why, path: ['port'] });
  });
}

const linkSchema = z.strictObject({
  ready: z.boolean(), closed: z.boolean(), closing: z.boolean(), paused: z.boolean(),
  outbox: base64(MAX_QUEUED),
  early: z.array(z.record(z.string(), z.unknown())).max(1024),
  decoder: z.strictObject({
    state: z.enum(['hello', 'await-version', 'messages', 'exited', 'failed']),
    version: z.number().int().min(0).max(3),
    header: z.strictObject({ type: u32, len: z.number().int().min(0).max(MAX_MESSAGE) }).nullable(),
    pending: base64(MAX_MESSAGE),
  }),
  handshake: z.strictObject({ state: z.enum(['start', 'wait-peer', 'done', 'failed']), agreed: z.number().int().min(0).max(3) }),
});

const sender = z.strictObject({ done: z.boolean() });
const receiver = z.strictObject({ held: base64(MAX_QUEUED), eof: z.boolean(), bytes: count });
const clientSide = z.strictObject({ sent: count, finished: z.boolean(), stdin: sender, stdout: receiver, stderr: receiver });
const serviceSide = z.strictObject({ open: z.number().int().min(0).max(2), finished: z.boolean(), exit: int32.nullable(), stdin: receiver, stdout: sender, stderr: sender });

/** A frame allocator: `frames` frames from `base`, each used one below `frames`. */
function frameRange(base: z.ZodType<number>, most: number) {
  return where(
    z.strictObject({ base, frames: z.number().int().min(1).max(most, `more than ${most} frames`), used: z.array(z.number().int().min(0)).max(most) }),
    (r) => r.used.every((u) => u < r.frames) && new Set(r.used).size === r.used.length,
    (r) => `a used frame is beyond its ${r.frames} frames or given twice`,
  );
}

export function agentStateSchema(b: VmBounds, objectsNext: number) {
  const end = vchanEndSchema(b);
  const io = z.strictObject({ stdin: endpointSchema(objectsNext), stdout: endpointSchema(objectsNext), stderr: endpointSchema(objectsNext) });
  const frames = where(
    frameRange(ramFrame(b.ramBytes), b.ramBytes / FRAME_SIZE),
    (r) => r.base - 0x8000_0000 + r.frames * FRAME_SIZE <= b.ramBytes,
    () => 'the frames run past the end of RAM',
  );
  return z.strictObject({
    control: z.strictObject({
      end: where(end, (e) => e.role === 'server' && e.peer === 0 && e.vchanPort === VCHAN_BASE_PORT, () => `not the server end of the control vchan (dom0, port ${VCHAN_BASE_PORT})`),
      link: linkSchema,
    }),
    nextIdent: positiveId,
    frames,
    slots: frameRange(windowFrame, GRANT_MAP_WINDOW_SIZE / FRAME_SIZE),
    served: z.array(z.strictObject({
      connectDomain: domid,
      connectPort: u32,
      cmdline: z.string().max(MAX_MESSAGE),
      justExec: z.boolean(),
      phase: z.enum(['connecting', 'serving']),
      io: io.nullable(),
      job: positiveId.nullable(),
      data: z.strictObject({ end, link: linkSchema, side: serviceSide }).nullable(),
    })).max(256),
    own: z.array(z.strictObject({
      ident: z.string().min(1).max(64),
      phase: z.enum(['pending', 'connected']),
      io,
      data: z.strictObject({ end, link: linkSchema, side: clientSide }).nullable(),
    })).max(256),
    closedServers: z.array(end).max(1024),
  });
}

export const guestCallsSchema = where(
  z.strictObject({
    next: positiveId,
    calls: z.array(z.strictObject({
      id: positiveId, ident: z.string().min(1).max(64), exit: int32.nullable(),
      refused: z.boolean().optional(), relays: z.array(positiveId).max(8).optional(),
    })).max(256, 'more than 256 calls in flight'),
  }),
  (g) => g.calls.every((c) => c.id < g.next) && new Set(g.calls.map((c) => c.id)).size === g.calls.length,
  (g) => `a call id is not below next (${g.next}) or is given twice`,
);

