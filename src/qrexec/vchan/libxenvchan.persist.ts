/** Plain-data state of a vchan end (what it holds besides the shared memory), its schema, and its restore. */
import { z } from 'zod';
import { ClientMapping } from './client-mapping.js';
import type { FrameAllocator } from './frame-allocator.js';
import { Libxenvchan } from './libxenvchan.js';
import { ordersValid } from './ring-orders.js';
import { ServerShare } from './server-share.js';
import { vchanErr, vchanOk, type VchanResult } from './vchan-errors.js';
import type { VchanHost } from './vchan-host.js';
import { clientLink, serverLink } from './vchan-link.js';

const u16 = z.number().int().min(0).max(0xffff);
const u32 = z.number().int().min(0).max(0xffff_ffff);
const order = z.number().int().min(10).max(20);

const sharedRunSchema = z.object({ gpa: u32, refs: z.array(u32) });
const mappedRunSchema = z.object({ hostAddr: u32, handles: z.array(u32), readonly: z.boolean() });

export const libxenvchanStateSchema = z.object({
  role: z.enum(['server', 'client']),
  domid: u16,
  peer: u16,
  vchanPort: u32,
  /** The end's event-channel port. */
  port: u32,
  orders: z.object({ left: order, right: order }),
  closed: z.boolean(),
  /** Server: its shared frames and grant refs (and grants still mapped after close). */
  share: z.object({
    ctrl: sharedRunSchema,
    left: sharedRunSchema.nullable(),
    right: sharedRunSchema.nullable(),
    pending: z.array(z.object({ ref: u32, gpa: u32 })),
  }).nullable(),
  /** Client: its mapping handles and window slots. */
  mapping: z.object({ ctrl: mappedRunSchema, left: mappedRunSchema.nullable(), right: mappedRunSchema.nullable() }).nullable(),
});
export type LibxenvchanState = z.infer<typeof libxenvchanStateSchema>;

/**
 * Rebuilds an end after the memories, grant tables, event channels and XenStore were restored: the server
 * finds its frames in its RAM, the client its mappings by handle. `frames` is the server's frame
 * allocator (restored with it) or the client's window-slot allocator. Listeners are not state: the owner
 * adds them again.
 */
export function restoreLibxenvchan(host: VchanHost, input: unknown, frames: FrameAllocator): VchanResult<Libxenvchan> {
  const parsed = libxenvchanStateSchema.safeParse(input);
  if (!parsed.success) return vchanErr('EINVAL', 'restore', parsed.error.message);
  const s = parsed.data;
  if (!ordersValid(s.orders)) return vchanErr('EPROTO', 'restore', 'ring orders are not acceptable');
  const base = { host, role: s.role, domid: s.domid, peer: s.peer, vchanPort: s.vchanPort, port: s.port, orders: s.orders };
  if (s.role === 'server') {
    if (s.share === null) return vchanErr('EINVAL', 'restore', 'a server end needs its shared frames');
    const memory = host.grants.domain(s.domid)?.memory ?? null;
    if (memory === null) return vchanErr('ESRCH', 'restore', `domain ${s.domid} has no RAM`);
    const share = new ServerShare(host, s.domid, memory, frames, s.share.ctrl, s.share.left, s.share.right, s.share.pending);
    const link = s.closed ? null : serverLink(share, s.orders);
    return vchanOk(new Libxenvchan({ ...base, link, share, mapping: null }));
  }
  if (s.closed) return vchanOk(new Libxenvchan({ ...base, link: null, share: null, mapping: null }));
  if (s.mapping === null) return vchanErr('EINVAL', 'restore', 'an open client end needs its mappings');
  const mapping = ClientMapping.fromState(host, s.domid, s.peer, frames, s.mapping);
  const link = clientLink(mapping, s.orders);
  if (link === undefined) return vchanErr('EINVAL', 'restore', 'a mapping of the client end is missing');
  return vchanOk(new Libxenvchan({ ...base, link, share: null, mapping }));
}
