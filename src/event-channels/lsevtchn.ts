/** The `lsevtchn` listing of one domain's ports: state, notify vCPU, peer or VIRQ, pending and masked bits. */
import type { PortTable } from './port-table.js';
import { ECS, ECS_NAMES } from './port-state.js';

export interface LsevtchnRow {
  port: number;
  state: string;
  notifyVcpu: number;
  /** UNBOUND: the domain allowed to bind; INTERDOMAIN: the peer. */
  remoteDom?: number;
  remotePort?: number;
  virq?: number;
  pending: boolean;
  masked: boolean;
}

export function lsevtchn(t: PortTable): LsevtchnRow[] {
  return t.usedPorts().map((port) => {
    const state = t.state[port];
    const row: LsevtchnRow = {
      port,
      state: ECS_NAMES[state as keyof typeof ECS_NAMES],
      notifyVcpu: t.notifyVcpu[port],
      pending: t.sharedInfo.isPending(port),
      masked: t.sharedInfo.isMasked(port),
    };
    if (state === ECS.UNBOUND || state === ECS.INTERDOMAIN) row.remoteDom = t.remoteDom[port];
    if (state === ECS.INTERDOMAIN) row.remotePort = t.remotePort[port];
    if (state === ECS.VIRQ) row.virq = t.remotePort[port];
    return row;
  });
}

/** The listing as text, one port per line, like xen-lsevtchn. */
export function formatLsevtchn(domid: number, rows: readonly LsevtchnRow[]): string {
  return rows.map((r) => {
    const peer = r.state === 'interdomain' ? ` dom=${r.remoteDom} port=${r.remotePort}`
      : r.state === 'unbound' ? ` dom=${r.remoteDom}` : r.state === 'virq' ? ` virq=${r.virq}` : '';
    return `dom${domid} ${String(r.port).padStart(4)}: ${r.state.padEnd(11)} vcpu=${r.notifyVcpu}${peer}` +
      `${r.pending ? ' pending' : ''}${r.masked ? ' masked' : ''}`;
  }).join('\n');
}
