/** What the event-channel model needs of a domain (the kernel's PD implements it). */
import type { GuestMemory } from '../vcpu/guest-memory.js';

export { DOMID_SELF } from '../hypervisor/domid.js';

export interface EvtchnDomain {
  readonly domid: number;
  /** Guest RAM, where the shared-info page is registered; null for dom0 (host code, shadow page only). */
  readonly memory: GuestMemory | null;
  readonly vcpuCount: number;
  /** Xen's is_dying: no new ports are allocated. */
  readonly dying: boolean;
  /** dom0 (the control domain): passes Xen's XSM_TARGET checks on other domains. */
  readonly privileged: boolean;
  /** Paused by the controller (EVTCHNOP_reset of another domain needs it); absent means running. */
  readonly paused?: boolean;
}

export interface EvtchnDomainDirectory {
  domain(domid: number): EvtchnDomain | undefined;
}

/** Called when a vCPU's evtchn_upcall_pending goes 0→1: the kernel raises its interrupt and wakes it. */
export interface EventChannelHooks {
  notify(domid: number, vcpu: number): void;
  /** Every 0→1 pending transition, masked or not (Xen wakes vCPUs polling the port). */
  pending?(domid: number, port: number): void;
}
