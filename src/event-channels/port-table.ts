/** One domain's event-channel ports (Xen's per-domain struct evtchn array): states, bindings and delivery. */
import type { EventChannelHooks } from './evtchn-domain.js';
import { XenErrno, type XenError } from './errno.js';
import { ECS, type EcsState } from './port-state.js';
import { EVTCHN_2L_NR_CHANNELS, SHARED_INFO, SharedInfo } from './shared-info.js';
import { NR_VIRQS } from './virq.js';

/** libxl's default max_event_channels (the highest port number a domain may use). */
export const DEFAULT_MAX_EVENT_CHANNELS = 1023;

export interface PortTableOptions {
  /** Highest usable port (Xen's max_evtchn_port); capped by the 2-level ABI at 1023. */
  maxEventChannels?: number;
}

export class PortTable {
  readonly maxEventChannels: number;
  /** Ports 0 … limit-1 exist; min(max_evtchn_port + 1, 1024). */
  readonly limit: number;
  readonly state: Uint8Array;
  readonly notifyVcpu: Uint8Array;
  /** UNBOUND: the domain allowed to bind; INTERDOMAIN: the peer domain. */
  readonly remoteDom: Uint16Array;
  /** INTERDOMAIN: the peer port; VIRQ: the VIRQ number. */
  readonly remotePort: Uint16Array;
  /** Port bound to (vcpu, virq), at vcpu * NR_VIRQS + virq; 0 = none. */
  readonly virqPorts = new Uint16Array(SHARED_INFO.MAX_VCPUS * NR_VIRQS);
  readonly sharedInfo = new SharedInfo();

  constructor(readonly domid: number, private readonly hooks: EventChannelHooks, options: PortTableOptions = {}) {
    const max = options.maxEventChannels ?? DEFAULT_MAX_EVENT_CHANNELS;
    if (!Number.isInteger(max) || max < 0) throw new RangeError(`max_event_channels ${max} must be a non-negative integer`);
    this.maxEventChannels = max;
    this.limit = Math.min(max + 1, EVTCHN_2L_NR_CHANNELS);
    this.state = new Uint8Array(this.limit);
    this.notifyVcpu = new Uint8Array(this.limit);
    this.remoteDom = new Uint16Array(this.limit);
    this.remotePort = new Uint16Array(this.limit);
    this.state[0] = ECS.RESERVED;
  }

  /** Xen's port_is_valid: the port number exists in this table. */
  isValid(port: number): boolean {
    return Number.isInteger(port) && port >= 0 && port < this.limit;
  }

  /** The lowest free port, or ENOSPC. */
  allocate(): number | XenError {
    for (let p = 1; p < this.limit; p++) if (this.state[p] === ECS.FREE) return p;
    return XenErrno.ENOSPC;
  }

  /** Puts a free port into `state`. */
  bind(port: number, state: EcsState, notifyVcpu: number, remoteDom: number, remotePort: number): void {
    this.state[port] = state;
    this.notifyVcpu[port] = notifyVcpu;
    this.remoteDom[port] = remoteDom;
    this.remotePort[port] = remotePort;
  }

  /** Xen's evtchn_free: clears pending and the binding; the mask bit (guest-owned) stays as it is. */
  free(port: number): void {
    this.sharedInfo.clearPending(port);
    this.bind(port, ECS.FREE, 0, 0, 0);
  }

  /** The 2-level set_pending: coalesces, upcalls on a 0→1 edge of an unmasked port. Allocation-free. */
  setPending(port: number): void {
    const si = this.sharedInfo;
    if (si.testAndSetPending(port)) return;
    if (!si.isMasked(port) && !si.testAndSetSelector(this.notifyVcpu[port], port >>> 5)) {
      this.markEventsPending(this.notifyVcpu[port]);
    }
    this.hooks.pending?.(this.domid, port);
  }

  /** The 2-level unmask: clears the mask and re-delivers a pending port whose selector bit was clear. */
  unmask(port: number): void {
    const si = this.sharedInfo;
    const vcpu = this.notifyVcpu[port];
    if (si.testAndClearMask(port) && si.isPending(port) && !si.testAndSetSelector(vcpu, port >>> 5)) {
      this.markEventsPending(vcpu);
    }
  }

  /** Xen's vcpu_mark_events_pending: the host hook runs only on a 0→1 edge of evtchn_upcall_pending. */
  private markEventsPending(vcpu: number): void {
    if (!this.sharedInfo.testAndSetUpcallPending(vcpu)) this.hooks.notify(this.domid, vcpu);
  }

  /** Ports in use (not FREE), lowest first, port 0 included. */
  usedPorts(): number[] {
    const ports: number[] = [];
    for (let p = 0; p < this.limit; p++) if (this.state[p] !== ECS.FREE) ports.push(p);
    return ports;
  }
}
