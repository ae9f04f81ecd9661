/** Port states: Xen's internal ECS_* values and what EVTCHNOP_status reports (EVTCHNSTAT_*). */

/** Internal state of a port (struct evtchn.state). */
export const ECS = {
  FREE: 0,
  RESERVED: 1,
  UNBOUND: 2,
  INTERDOMAIN: 3,
  PIRQ: 4,
  VIRQ: 5,
  IPI: 6,
} as const;
export type EcsState = (typeof ECS)[keyof typeof ECS];

/** What status() reports. */
export const EVTCHNSTAT = {
  closed: 0,
  unbound: 1,
  interdomain: 2,
  pirq: 3,
  virq: 4,
  ipi: 5,
} as const;
export type EvtchnStat = (typeof EVTCHNSTAT)[keyof typeof EVTCHNSTAT];

/** EVTCHNOP_* numbers (the hypercall layer maps Cella's hypercall numbers onto these). */
export const EVTCHNOP = {
  bind_interdomain: 0,
  bind_virq: 1,
  bind_pirq: 2,
  close: 3,
  send: 4,
  status: 5,
  alloc_unbound: 6,
  bind_ipi: 7,
  bind_vcpu: 8,
  unmask: 9,
  reset: 10,
  init_control: 11,
  expand_array: 12,
  set_priority: 13,
} as const;

/** The result of status(). */
export type EvtchnStatus =
  | { status: typeof EVTCHNSTAT.closed; vcpu: number }
  | { status: typeof EVTCHNSTAT.unbound; vcpu: number; dom: number }
  | { status: typeof EVTCHNSTAT.interdomain; vcpu: number; dom: number; port: number }
  | { status: typeof EVTCHNSTAT.virq; vcpu: number; virq: number }
  | { status: typeof EVTCHNSTAT.ipi; vcpu: number };

/** Lower-case names used by listings. */
export const ECS_NAMES: Record<EcsState, string> = {
  [ECS.FREE]: 'free',
  [ECS.RESERVED]: 'reserved',
  [ECS.UNBOUND]: 'unbound',
  [ECS.INTERDOMAIN]: 'interdomain',
  [ECS.PIRQ]: 'pirq',
  [ECS.VIRQ]: 'virq',
  [ECS.IPI]: 'ipi',
};
