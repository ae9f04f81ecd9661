/** Xen event channels across domains: the EVTCHNOP_* operations with Xen's checks and errors, VIRQs, death. */
import { DOMID_SELF, type EventChannelHooks, type EvtchnDomain, type EvtchnDomainDirectory } from './evtchn-domain.js';
import { XenErrno, type XenError } from './errno.js';
import { checkPairs, restoreEventChannels, restorePortTable, saveEventChannels, type EventChannelsState, type PortTableState } from './event-channels.persist.js';
import { lsevtchn, type LsevtchnRow } from './lsevtchn.js';
import { PortTable, type PortTableOptions } from './port-table.js';
import { ECS, EVTCHNSTAT, type EvtchnStatus } from './port-state.js';
import { SHARED_INFO } from './shared-info.js';
import { NR_VIRQS, VIRQ, virqClass } from './virq.js';
import { FRAME_SIZE } from '../vcpu/memory-layout.js';

/** Every operation returns a port or 0 on success, a negative Xen errno on failure. */
export type EvtchnResult = number;

export class EventChannels {
  private readonly tables = new Map<number, PortTable>();
  /** Domain that receives each global VIRQ when not the default (dom0, the hardware domain). */
  private readonly virqHandlers = new Map<number, number>();

  constructor(private readonly directory: EvtchnDomainDirectory, readonly hooks: EventChannelHooks) {}

  /** Creates a domain's table with its limits (otherwise made with defaults on first use). */
  addDomain(domid: number, options: PortTableOptions = {}): void {
    if (this.tables.has(domid)) throw new Error(`event channels of domain ${domid} already exist`);
    this.tables.set(domid, new PortTable(domid, this.hooks, options));
  }

  /** A domain's port table (for the kernel, listings and tests). */
  table(domid: number): PortTable | undefined {
    return this.tables.get(domid);
  }

  // ---- binding operations ----

  allocUnbound(caller: number, dom: number, remoteDom: number): EvtchnResult {
    const c = this.directory.domain(caller);
    const d = c && this.lookup(c, dom);
    if (!c || !d) return XenErrno.ESRCH;
    const port = this.allocate(d);
    if (port < 0) return port;
    if (!allows(c, d)) return XenErrno.EPERM;
    this.tableOf(d)!.bind(port, ECS.UNBOUND, 0, remoteDom === DOMID_SELF ? c.domid : remoteDom & 0xffff, 0);
    return port;
  }

  bindInterdomain(caller: number, remoteDom: number, remotePort: number): EvtchnResult {
    const c = this.directory.domain(caller);
    const r = c && this.lookup(c, remoteDom);
    if (!c || !r) return XenErrno.ESRCH;
    const lport = this.allocate(c);
    if (lport < 0) return lport;
    const rt = this.tableOf(r);
    if (!rt || !rt.isValid(remotePort)) return XenErrno.EINVAL;
    if (rt.state[remotePort] !== ECS.UNBOUND || rt.remoteDom[remotePort] !== c.domid) return XenErrno.EINVAL;
    const lt = this.tableOf(c)!;
    lt.bind(lport, ECS.INTERDOMAIN, 0, r.domid, remotePort);
    rt.bind(remotePort, ECS.INTERDOMAIN, rt.notifyVcpu[remotePort], c.domid, lport);
    lt.setPending(lport);
    return lport;
  }

  bindVirq(caller: number, virq: number, vcpu: number): EvtchnResult {
    const c = this.directory.domain(caller);
    if (!c) return XenErrno.ESRCH;
    if (!Number.isInteger(virq) || virq < 0 || virq >= NR_VIRQS) return XenErrno.EINVAL;
    const cls = virqClass(virq);
    if (cls !== 'vcpu' && vcpu !== 0) return XenErrno.EINVAL;
    if (!vcpuExists(c, vcpu)) return XenErrno.ENOENT;
    if (cls === 'global' && this.virqHandler(virq) !== c.domid) return XenErrno.EBUSY;
    const t = this.tableOf(c);
    if (t && t.virqPorts[vcpu * NR_VIRQS + virq] !== 0) return XenErrno.EEXIST;
    const port = this.allocate(c);
    if (port < 0) return port;
    t!.bind(port, ECS.VIRQ, vcpu, 0, virq);
    t!.virqPorts[vcpu * NR_VIRQS + virq] = port;
    return port;
  }

  bindIpi(caller: number, vcpu: number): EvtchnResult {
    const c = this.directory.domain(caller);
    if (!c) return XenErrno.ESRCH;
    if (!vcpuExists(c, vcpu)) return XenErrno.ENOENT;
    const port = this.allocate(c);
    if (port < 0) return port;
    this.tableOf(c)!.bind(port, ECS.IPI, vcpu, 0, 0);
    return port;
  }

  /** Physical IRQs are not modelled: a domain has nr_pirqs = 0, so every pirq is out of range. */
  bindPirq(caller: number, _pirq: number): EvtchnResult {
    return this.directory.domain(caller) ? XenErrno.EINVAL : XenErrno.ESRCH;
  }

  // ---- port operations ----

  /** EVTCHNOP_send; allocation-free. */
  send(caller: number, port: number): EvtchnResult {
    const t = this.tables.get(caller) ?? this.callerTable(caller);
    if (t === undefined || !t.isValid(port)) return XenErrno.EINVAL;
    switch (t.state[port]) {
      case ECS.INTERDOMAIN: {
        const rt = this.tables.get(t.remoteDom[port]);
        if (rt !== undefined) rt.setPending(t.remotePort[port]);
        return 0;
      }
      case ECS.IPI: t.setPending(port); return 0;
      case ECS.UNBOUND: return 0;
      default: return XenErrno.EINVAL;
    }
  }

  close(caller: number, port: number): EvtchnResult {
    if (!this.directory.domain(caller)) return XenErrno.ESRCH;
    const t = this.tables.get(caller);
    if (t === undefined || !t.isValid(port)) return XenErrno.EINVAL;
    if (t.state[port] === ECS.FREE || t.state[port] === ECS.RESERVED) return XenErrno.EINVAL;
    this.closePort(t, port);
    return 0;
  }

  status(caller: number, dom: number, port: number): EvtchnStatus | XenError {
    const c = this.directory.domain(caller);
    const d = c && this.lookup(c, dom);
    if (!c || !d) return XenErrno.ESRCH;
    const t = this.tableOf(d);
    if (!t || !t.isValid(port)) return XenErrno.EINVAL;
    if (!allows(c, d)) return XenErrno.EPERM;
    const vcpu = t.notifyVcpu[port];
    switch (t.state[port]) {
      case ECS.UNBOUND: return { status: EVTCHNSTAT.unbound, vcpu, dom: t.remoteDom[port] };
      case ECS.INTERDOMAIN: return { status: EVTCHNSTAT.interdomain, vcpu, dom: t.remoteDom[port], port: t.remotePort[port] };
      case ECS.VIRQ: return { status: EVTCHNSTAT.virq, vcpu, virq: t.remotePort[port] };
      case ECS.IPI: return { status: EVTCHNSTAT.ipi, vcpu };
      default: return { status: EVTCHNSTAT.closed, vcpu };
    }
  }

  bindVcpu(caller: number, port: number, vcpu: number): EvtchnResult {
    const c = this.directory.domain(caller);
    if (!c) return XenErrno.ESRCH;
    if (!vcpuExists(c, vcpu)) return XenErrno.ENOENT;
    const t = this.tables.get(caller);
    if (t === undefined || !t.isValid(port)) return XenErrno.EINVAL;
    const state = t.state[port];
    if (state === ECS.VIRQ && virqClass(t.remotePort[port]) === 'vcpu') return XenErrno.EINVAL;
    if (state !== ECS.VIRQ && state !== ECS.UNBOUND && state !== ECS.INTERDOMAIN) return XenErrno.EINVAL;
    t.notifyVcpu[port] = vcpu;
    return 0;
  }

  /** EVTCHNOP_unmask: clears the mask and re-delivers a pending port (a guest's own clear does not). */
  unmask(caller: number, port: number): EvtchnResult {
    const t = this.tables.get(caller) ?? this.callerTable(caller);
    if (t === undefined || !t.isValid(port)) return XenErrno.EINVAL;
    t.unmask(port);
    return 0;
  }

  /** EVTCHNOP_reset: closes every port of `dom` (another domain must be paused by the caller). */
  reset(caller: number, dom: number): EvtchnResult {
    const c = this.directory.domain(caller);
    const d = c && this.lookup(c, dom);
    if (!c || !d) return XenErrno.ESRCH;
    if (!allows(c, d)) return XenErrno.EPERM;
    if (d.domid !== c.domid && d.paused !== true) return XenErrno.EINVAL;
    const t = this.tables.get(d.domid);
    if (t) for (let p = 1; p < t.limit; p++) if (t.state[p] !== ECS.FREE) this.closePort(t, p);
    return 0;
  }

  /** EVTCHNOP_set_priority: the 2-level ABI has no priorities. */
  setPriority(caller: number, port: number, _priority: number): EvtchnResult {
    const t = this.tables.get(caller) ?? this.callerTable(caller);
    if (t === undefined || !t.isValid(port)) return XenErrno.EINVAL;
    return XenErrno.ENOSYS;
  }

  // ---- shared info, delivery, VIRQs ----

  /** The guest names a frame of its own RAM as its shared-info page; the current bits are copied in. */
  registerSharedInfo(domid: number, gpa: number): EvtchnResult {
    const d = this.directory.domain(domid);
    if (!d) return XenErrno.ESRCH;
    const t = this.tableOf(d);
    if (!t || !d.memory || !Number.isInteger(gpa) || gpa % FRAME_SIZE !== 0 || d.memory.offsetOf(gpa, FRAME_SIZE) < 0) {
      return XenErrno.EINVAL;
    }
    t.sharedInfo.register(d.memory, gpa);
    return 0;
  }

  /** Poll helper (SCHEDOP_poll): is the port's pending bit set. */
  isPending(domid: number, port: number): boolean {
    const t = this.tables.get(domid);
    return t !== undefined && t.isValid(port) && t.sharedInfo.isPending(port);
  }

  isMasked(domid: number, port: number): boolean {
    const t = this.tables.get(domid);
    return t !== undefined && t.isValid(port) && t.sharedInfo.isMasked(port);
  }

  /** evtchn_upcall_pending of a vCPU (what the kernel turns into the vCPU's external interrupt). */
  upcallPending(domid: number, vcpu: number): boolean {
    const t = this.tables.get(domid);
    return t !== undefined && vcpu >= 0 && vcpu < SHARED_INFO.MAX_VCPUS && t.sharedInfo.upcallPending(vcpu);
  }

  /** evtchn_upcall_mask of a vCPU (the guest's "events disabled" flag). */
  upcallMasked(domid: number, vcpu: number): boolean {
    const t = this.tables.get(domid);
    return t !== undefined && vcpu >= 0 && vcpu < SHARED_INFO.MAX_VCPUS && t.sharedInfo.upcallMasked(vcpu);
  }

  /** Raises a per-vCPU or per-domain VIRQ (e.g. the timer) in `domid`; false when nothing is bound. */
  raiseVirq(domid: number, vcpu: number, virq: number): boolean {
    const cls = virqClass(virq);
    const t = this.tables.get(domid);
    if (cls === 'global' || t === undefined || vcpu < 0 || vcpu >= SHARED_INFO.MAX_VCPUS) return false;
    const port = t.virqPorts[(cls === 'vcpu' ? vcpu : 0) * NR_VIRQS + virq];
    if (port === 0) return false;
    t.setPending(port);
    return true;
  }

  /** Raises a global VIRQ at its handler domain; false when nothing is bound. */
  raiseGlobalVirq(virq: number): boolean {
    const t = this.tables.get(this.virqHandler(virq));
    const port = t === undefined || virqClass(virq) !== 'global' ? 0 : t.virqPorts[virq];
    if (port === 0) return false;
    t!.setPending(port);
    return true;
  }

  /** The toolstack moves a global VIRQ to another domain (XEN_DOMCTL_set_virq_handler). */
  setVirqHandler(virq: number, domid: number): EvtchnResult {
    if (virqClass(virq) !== 'global' || !Number.isInteger(virq) || virq < 0 || virq >= NR_VIRQS) return XenErrno.EINVAL;
    if (!this.directory.domain(domid)) return XenErrno.ESRCH;
    this.virqHandlers.set(virq, domid);
    return 0;
  }

  virqHandler(virq: number): number {
    return this.virqHandlers.get(virq) ?? 0;
  }

  /**
   * A domain died: every port closes from the highest down (interdomain peers become unbound, waiting
   * for the dead domid), its global-VIRQ handler roles end, and VIRQ_DOM_EXC is raised at its handler.
   */
  domainDied(domid: number): void {
    const t = this.tables.get(domid);
    if (t) for (let p = t.limit - 1; p >= 1; p--) if (t.state[p] !== ECS.FREE) this.closePort(t, p);
    this.tables.delete(domid);
    for (const [virq, handler] of this.virqHandlers) if (handler === domid) this.virqHandlers.delete(virq);
    this.raiseGlobalVirq(VIRQ.DOM_EXC);
  }

  // ---- introspection and persistence ----

  /** `lsevtchn` for one domain: every port in use. */
  list(domid: number): LsevtchnRow[] {
    const t = this.tables.get(domid);
    return t ? lsevtchn(t) : [];
  }

  domains(): number[] {
    return [...this.tables.keys()].sort((a, b) => a - b);
  }

  save(): EventChannelsState {
    return saveEventChannels([...this.tables.values()], this.virqHandlers);
  }

  /** Replaces everything with a saved state; domains (and their restored memory) come from the directory. */
  restore(state: EventChannelsState): void {
    const { tables, virqHandlers } = restoreEventChannels(state, this.hooks, (domid) => this.directory.domain(domid));
    this.tables.clear();
    for (const t of tables) this.tables.set(t.domid, t);
    this.virqHandlers.clear();
    for (const [virq, domid] of virqHandlers) this.virqHandlers.set(virq, domid);
  }

  /**
   * Port tables of domains back from one suspend file into a model where every other domain is gone
   * (a resume after a manager restart): port numbers, VIRQs, IPIs and shared-info pages stay, and so
   * do the interdomain channels between them (each must point back); a port bound to a domain that
   * did not come back is left unbound, waiting for its domid, as Xen leaves it when the peer dies. Throws,
   * having added nothing, when a table does not fit.
   */
  restoreTogether(states: readonly PortTableState[]): void {
    const members = new Set(states.map((s) => s.domid));
    if (members.size !== states.length) throw new Error('event channels: a domain is given twice');
    const tables = states.map((state) => {
      if (this.tables.has(state.domid)) throw new Error(`event channels of domain ${state.domid} already exist`);
      const ports = state.ports.map((p) => (p.state === ECS.INTERDOMAIN && !members.has(p.remoteDom) ? { ...p, state: ECS.UNBOUND, remotePort: 0 } : p));
      return restorePortTable({ ...state, ports }, this.hooks, this.directory.domain(state.domid));
    });
    checkPairs(tables);
    for (const t of tables) this.tables.set(t.domid, t);
  }

  // ---- internals ----

  private lookup(caller: EvtchnDomain, dom: number): EvtchnDomain | undefined {
    return dom === DOMID_SELF ? caller : this.directory.domain(dom);
  }

  /** The table of a live domain, made with defaults on first use; none for a dying domain without one. */
  private tableOf(d: EvtchnDomain): PortTable | undefined {
    let t = this.tables.get(d.domid);
    if (t === undefined && !d.dying) {
      t = new PortTable(d.domid, this.hooks);
      this.tables.set(d.domid, t);
    }
    return t;
  }

  private callerTable(caller: number): PortTable | undefined {
    const c = this.directory.domain(caller);
    return c && this.tableOf(c);
  }

  /** Xen's evtchn_allocate_port: lowest free port; a dying domain gets EINVAL. Nothing is taken yet. */
  private allocate(d: EvtchnDomain): number | XenError {
    if (d.dying) return XenErrno.EINVAL;
    return this.tableOf(d)!.allocate();
  }

  /** Xen's evtchn_close for a port in use: unbinds and frees it; an interdomain peer turns unbound. */
  private closePort(t: PortTable, port: number): void {
    switch (t.state[port]) {
      case ECS.VIRQ: {
        const virq = t.remotePort[port];
        const vcpu = virqClass(virq) === 'vcpu' ? t.notifyVcpu[port] : 0;
        t.virqPorts[vcpu * NR_VIRQS + virq] = 0;
        break;
      }
      case ECS.INTERDOMAIN: {
        const rt = this.tables.get(t.remoteDom[port]);
        const rport = t.remotePort[port];
        if (rt !== undefined) rt.bind(rport, ECS.UNBOUND, rt.notifyVcpu[rport], t.domid, 0);
        break;
      }
      default: break;
    }
    t.free(port);
  }
}

/** Xen's default XSM_TARGET check: the caller itself, or the control domain. */
const allows = (caller: EvtchnDomain, target: EvtchnDomain): boolean =>
  caller.domid === target.domid || caller.privileged;

/** vCPU 0 always exists (dom0 and a domain without vCPUs yet take events on it); at most 32 (vcpu_info slots). */
const vcpuExists = (d: EvtchnDomain, vcpu: number): boolean =>
  Number.isInteger(vcpu) && vcpu >= 0 && vcpu < Math.min(Math.max(d.vcpuCount, 1), SHARED_INFO.MAX_VCPUS);
