/**
 * A domain section (`<uuid>/domain`) with the VM's bounds: its event-channel ports (numbers within
 * max_event_channels, each state with what it may point at), its grant table (frames of its own
 * RAM, refs within the table), its mappings (slots of its grant-mapping window) and its XenStore
 * home (every node inside `/local/domain/<domid>`, a tree whose children are there, valid paths and
 * permissions, its own watches).
 */
import { z } from 'zod';
import { ECS } from '../../../event-channels/port-state.js';
import { NR_VIRQS } from '../../../event-channels/virq.js';
import { FRAME_SIZE } from '../../../vcpu/memory-layout.js';
import { DEFAULT_MAX_GRANT_FRAMES, DEFAULT_MAX_MAPTRACK_FRAMES, GRANT_ENTRIES_PER_FRAME, MAPTRACK_PER_FRAME } from '../../../grant-tables/grant-flags.js';
import { parsePerm } from '../../../xenstore/xs-perms.js';
import { domainPath, isValidPath, parentOf, XENSTORE_PAYLOAD_MAX, XENSTORE_REL_PATH_MAX } from '../../../xenstore/xs-path.js';
import { MAX_DOMID } from '../../../hypervisor/hypervisor.js';
import { count, distinct, domid, portNumber, ramFrame, u32, where, windowFrame, type VmBounds } from './bounds.js';

const ownDomid = (b: VmBounds) => z.literal(b.domid, `not this VM's domain (${b.domid})`);
const remotePort = z.number().int().min(1).max(1023, 'beyond the 2-level ABI (1023)');

function portSchema(b: VmBounds) {
  const port = portNumber(b);
  const vcpu = z.number().int().min(0).max(31, 'beyond vCPU 31');
  return z.discriminatedUnion('state', [
    z.strictObject({ port, state: z.literal(ECS.UNBOUND), vcpu, remoteDom: domid, remotePort: z.literal(0, 'an unbound port has no remote port') }),
    z.strictObject({ port, state: z.literal(ECS.INTERDOMAIN), vcpu, remoteDom: domid, remotePort }),
    z.strictObject({ port, state: z.literal(ECS.VIRQ), vcpu, remoteDom: z.literal(0), remotePort: z.number().int().min(0).max(NR_VIRQS - 1, `not a VIRQ (below ${NR_VIRQS})`) }),
    z.strictObject({ port, state: z.literal(ECS.IPI), vcpu, remoteDom: z.literal(0), remotePort: z.literal(0, 'an IPI has no remote port') }),
  ]);
}

function portTableSchema(b: VmBounds) {
  return z.strictObject({
    domid: ownDomid(b),
    maxEventChannels: z.literal(b.maxEventChannels, `not the spec's max_event_channels (${b.maxEventChannels})`),
    sharedInfoGpa: ramFrame(b.ramBytes).nullable(),
    shadow: z.array(z.tuple([z.number().int().min(0).max(FRAME_SIZE - 4), u32])).max(FRAME_SIZE / 4),
    ports: distinct(portSchema(b), (p) => p.port, 'port', 1023),
  });
}

function grantTableSchema(b: VmBounds) {
  return where(
    z.strictObject({
      domid: ownDomid(b),
      maxFrames: z.number().int().min(1).max(DEFAULT_MAX_GRANT_FRAMES, `above ${DEFAULT_MAX_GRANT_FRAMES} grant-table frames`),
      frames: distinct(ramFrame(b.ramBytes), (f) => f, 'frame', DEFAULT_MAX_GRANT_FRAMES),
      active: distinct(z.strictObject({ ref: u32, mapper: domid, pin: u32, gpa: ramFrame(b.ramBytes) }), (a) => a.ref, 'ref'),
    }),
    (t) => t.frames.length <= t.maxFrames && t.active.every((a) => a.ref < t.frames.length * GRANT_ENTRIES_PER_FRAME),
    (t) => `more frames than maxFrames, or a ref beyond its ${t.frames.length * GRANT_ENTRIES_PER_FRAME} entries`,
  );
}

const MAX_HANDLES = DEFAULT_MAX_MAPTRACK_FRAMES * MAPTRACK_PER_FRAME;

function maptrackSchema(b: VmBounds) {
  const mapping = z.strictObject({
    handle: u32, granter: domid, zombie: count.nullable(), ref: u32, readonly: z.boolean(), hostAddr: windowFrame,
  });
  return where(
    z.strictObject({
      domid: ownDomid(b),
      maxHandles: z.number().int().min(0).max(MAX_HANDLES, `above ${MAX_HANDLES} handles`),
      mappings: distinct(mapping, (m) => m.handle, 'handle'),
    }),
    (m) => m.mappings.every((x) => x.handle < m.maxHandles),
    (m) => `a handle is beyond maxHandles (${m.maxHandles})`,
  );
}

const perm = z.string().refine((p) => {
  const parsed = parsePerm(p);
  return parsed !== undefined && parsed.id <= MAX_DOMID;
}, 'not a permission like n0, r5, w7 or b9');

function xenstoreSchema(b: VmBounds) {
  const home = domainPath(b.domid);
  const inside = (p: string) => p === home || p.startsWith(`${home}/`);
  const node = z.strictObject({
    path: where(z.string(), (p) => isValidPath(p) && inside(p), (p) => `${JSON.stringify(p.slice(0, 80))} is not a path inside the domain's home ${home}`),
    value: z.string().max(XENSTORE_PAYLOAD_MAX, `longer than a XenStore value (${XENSTORE_PAYLOAD_MAX})`),
    perms: z.array(perm).min(1).max(256),
    children: z.array(z.string().regex(/^[A-Za-z0-9\-_@]+$/, 'not a node name')).max(65_536),
    generation: count,
  });
  const watch = z.strictObject({
    domid: ownDomid(b),
    path: z.string().min(1).max(XENSTORE_REL_PATH_MAX + home.length + 1).regex(/^[A-Za-z0-9\-/_@]+$/, 'not a XenStore path'),
    token: z.string().max(XENSTORE_PAYLOAD_MAX),
    relative: z.boolean(),
  });
  return where(
    z.strictObject({ nodes: distinct(node, (n) => n.path, 'node path', 100_000), watches: z.array(watch).max(100_000) }),
    (x) => treeProblem(home, x.nodes) === null,
    (x) => `nodes: ${treeProblem(home, x.nodes)}`,
  );
}

/** Why the nodes are not one tree under `home` (each node its parent's child, each child a node), or null. */
function treeProblem(home: string, nodes: readonly { path: string; children: readonly string[] }[]): string | null {
  const byPath = new Map(nodes.map((n) => [n.path, n]));
  if (!byPath.has(home)) return `the home ${home} is missing`;
  for (const n of nodes) {
    for (const c of n.children) if (!byPath.has(`${n.path}/${c}`)) return `${n.path} names a child ${c} that is not there`;
    if (n.path !== home && !byPath.get(parentOf(n.path))?.children.includes(n.path.slice(n.path.lastIndexOf('/') + 1))) {
      return `${n.path} is not a child of its parent`;
    }
  }
  return null;
}

export function domainSectionSchema(b: VmBounds) {
  return z.strictObject({
    domid: ownDomid(b),
    eventChannels: portTableSchema(b).nullable(),
    grantTable: grantTableSchema(b).nullable(),
    maptrack: maptrackSchema(b).nullable(),
    xenstore: xenstoreSchema(b),
  });
}
export type CheckedDomain = z.infer<ReturnType<typeof domainSectionSchema>>;
