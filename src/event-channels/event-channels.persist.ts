/** Plain-data (JSON) state of all event-channel tables, with a schema that verifies it before a restore. */
import { z } from 'zod';
import type { EventChannelHooks, EvtchnDomain } from './evtchn-domain.js';
import { PortTable } from './port-table.js';
import { ECS } from './port-state.js';
import { FRAME_SIZE } from '../vcpu/memory-layout.js';
import { NR_VIRQS, virqClass } from './virq.js';

const u16 = z.number().int().min(0).max(0xffff);

export const portStateSchema = z.object({
  port: z.number().int().min(1).max(1023),
  state: z.union([z.literal(ECS.UNBOUND), z.literal(ECS.INTERDOMAIN), z.literal(ECS.VIRQ), z.literal(ECS.IPI)]),
  vcpu: z.number().int().min(0).max(31),
  remoteDom: u16,
  remotePort: u16,
});

export const portTableStateSchema = z.object({
  domid: u16,
  maxEventChannels: z.number().int().min(0),
  /** Guest-physical address of the registered shared-info page; its bits are saved with guest memory. */
  sharedInfoGpa: z.number().int().nullable(),
  /** Before registration: non-zero words of the shadow page as [byte offset, value]. */
  shadow: z.array(z.tuple([z.number().int().min(0).max(FRAME_SIZE - 4), z.number().int().min(0).max(0xffff_ffff)])),
  /** Ports in use, port 0 (reserved) left out. */
  ports: z.array(portStateSchema),
});

export const eventChannelsStateSchema = z.object({
  domains: z.array(portTableStateSchema),
  /** Global VIRQs moved away from dom0, as [virq, domid]. */
  virqHandlers: z.array(z.tuple([z.number().int().min(0).max(NR_VIRQS - 1), u16])),
});

export type PortState = z.infer<typeof portStateSchema>;
export type PortTableState = z.infer<typeof portTableStateSchema>;
export type EventChannelsState = z.infer<typeof eventChannelsStateSchema>;

export function savePortTable(t: PortTable): PortTableState {
  const ports: PortState[] = [];
  for (const port of t.usedPorts()) {
    if (port === 0) continue;
    ports.push({
      port, state: t.state[port] as PortState['state'], vcpu: t.notifyVcpu[port],
      remoteDom: t.remoteDom[port], remotePort: t.remotePort[port],
    });
  }
  const gpa = t.sharedInfo.gpa;
  return { domid: t.domid, maxEventChannels: t.maxEventChannels, sharedInfoGpa: gpa, shadow: gpa === null ? t.sharedInfo.shadowWords() : [], ports };
}

export function saveEventChannels(tables: readonly PortTable[], virqHandlers: ReadonlyMap<number, number>): EventChannelsState {
  return {
    domains: [...tables].sort((a, b) => a.domid - b.domid).map(savePortTable),
    virqHandlers: [...virqHandlers].sort((a, b) => a[0] - b[0]),
  };
}

/** Rebuilds one table; its shared-info page re-attaches to the domain's (restored) memory. */
export function restorePortTable(s: PortTableState, hooks: EventChannelHooks, domain: EvtchnDomain | undefined): PortTable {
  const t = new PortTable(s.domid, hooks, { maxEventChannels: s.maxEventChannels });
  if (s.sharedInfoGpa === null) t.sharedInfo.loadShadow(s.shadow);
  else if (domain?.memory && domain.memory.offsetOf(s.sharedInfoGpa, FRAME_SIZE) >= 0) t.sharedInfo.attach(domain.memory, s.sharedInfoGpa);
  else throw new Error(`domain ${s.domid}: shared-info page 0x${s.sharedInfoGpa.toString(16)} is not in its RAM`);
  for (const p of s.ports) {
    if (p.port >= t.limit) throw new Error(`domain ${s.domid}: port ${p.port} beyond its limit`);
    t.bind(p.port, p.state, p.vcpu, p.remoteDom, p.remotePort);
    if (p.state === ECS.VIRQ) {
      if (p.remotePort >= NR_VIRQS) throw new Error(`domain ${s.domid}: port ${p.port} bound to VIRQ ${p.remotePort}`);
      t.virqPorts[(virqClass(p.remotePort) === 'vcpu' ? p.vcpu : 0) * NR_VIRQS + p.remotePort] = p.port;
    }
  }
  return t;
}

/** Verifies and rebuilds every table; throws (touching nothing) on a malformed or inconsistent state. */
export function restoreEventChannels(
  state: EventChannelsState,
  hooks: EventChannelHooks,
  domain: (domid: number) => EvtchnDomain | undefined,
): { tables: PortTable[]; virqHandlers: [number, number][] } {
  const s = eventChannelsStateSchema.parse(state);
  const tables = s.domains.map((d) => {
    if (!domain(d.domid)) throw new Error(`event channels of domain ${d.domid}: no such domain`);
    return restorePortTable(d, hooks, domain(d.domid));
  });
  checkPairs(tables);
  return { tables, virqHandlers: s.virqHandlers };
}

/** Every interdomain port must point at a port that points back. */
export function checkPairs(tables: readonly PortTable[]): void {
  const byDomid = new Map(tables.map((t) => [t.domid, t]));
  for (const t of tables) {
    for (const p of t.usedPorts()) {
      if (t.state[p] !== ECS.INTERDOMAIN) continue;
      const r = byDomid.get(t.remoteDom[p]);
      const rp = t.remotePort[p];
      if (!r || rp >= r.limit || r.state[rp] !== ECS.INTERDOMAIN || r.remoteDom[rp] !== t.domid || r.remotePort[rp] !== p) {
        throw new Error(`domain ${t.domid} port ${p}: interdomain peer does not point back`);
      }
    }
  }
}
