/** A small executable restatement of the event-channel rules (reference/xen-nova.md §1), for property tests. */
import { DOMID_SELF } from '../../../src/event-channels/evtchn-domain.js';
import { XenErrno } from '../../../src/event-channels/errno.js';
import type { LsevtchnRow } from '../../../src/event-channels/lsevtchn.js';
import { virqClass } from '../../../src/event-channels/virq.js';

type State = 'reserved' | 'unbound' | 'interdomain' | 'virq' | 'ipi';
interface Port { state: State; vcpu: number; dom?: number; port?: number; virq?: number }

export class RefDomain {
  ports = new Map<number, Port>([[0, { state: 'reserved', vcpu: 0 }]]);
  pending = new Set<number>();
  masked = new Set<number>();
  selector: number[];
  upcall: boolean[];
  constructor(readonly domid: number, readonly maxPort: number, readonly vcpus: number) {
    this.selector = new Array<number>(vcpus).fill(0);
    this.upcall = new Array<boolean>(vcpus).fill(false);
  }
}

export class RefModel {
  doms = new Map<number, RefDomain>();
  notes: string[] = [];

  add(domid: number, maxPort: number, vcpus: number): void {
    this.doms.set(domid, new RefDomain(domid, maxPort, Math.max(vcpus, 1)));
  }

  private find(caller: RefDomain, dom: number): RefDomain | undefined {
    return dom === DOMID_SELF ? caller : this.doms.get(dom);
  }

  private lowest(d: RefDomain): number {
    for (let p = 1; p <= Math.min(d.maxPort, 1023); p++) if (!d.ports.has(p)) return p;
    return XenErrno.ENOSPC;
  }

  allocUnbound(caller: number, dom: number, remote: number): number {
    const c = this.doms.get(caller);
    const d = c && this.find(c, dom);
    if (!c || !d) return XenErrno.ESRCH;
    const p = this.lowest(d);
    if (p < 0) return p;
    if (c !== d && caller !== 0) return XenErrno.EPERM;
    d.ports.set(p, { state: 'unbound', vcpu: 0, dom: remote === DOMID_SELF ? caller : remote });
    return p;
  }

  bindInterdomain(caller: number, rdom: number, rport: number): number {
    const c = this.doms.get(caller);
    const r = c && this.find(c, rdom);
    if (!c || !r) return XenErrno.ESRCH;
    const p = this.lowest(c);
    if (p < 0) return p;
    const rp = r.ports.get(rport);
    if (!rp || rp.state !== 'unbound' || rp.dom !== caller) return XenErrno.EINVAL;
    c.ports.set(p, { state: 'interdomain', vcpu: 0, dom: r.domid, port: rport });
    r.ports.set(rport, { state: 'interdomain', vcpu: rp.vcpu, dom: caller, port: p });
    this.setPending(c, p);
    return p;
  }

  bindVirq(caller: number, virq: number, vcpu: number): number {
    const c = this.doms.get(caller);
    if (!c) return XenErrno.ESRCH;
    if (virq < 0 || virq >= 24) return XenErrno.EINVAL;
    const cls = virqClass(virq);
    if (cls !== 'vcpu' && vcpu !== 0) return XenErrno.EINVAL;
    if (vcpu >= c.vcpus) return XenErrno.ENOENT;
    if (cls === 'global' && caller !== 0) return XenErrno.EBUSY;
    for (const q of c.ports.values()) if (q.state === 'virq' && q.virq === virq && (cls !== 'vcpu' || q.vcpu === vcpu)) return XenErrno.EEXIST;
    const p = this.lowest(c);
    if (p < 0) return p;
    c.ports.set(p, { state: 'virq', vcpu, virq });
    return p;
  }

  bindIpi(caller: number, vcpu: number): number {
    const c = this.doms.get(caller);
    if (!c) return XenErrno.ESRCH;
    if (vcpu >= c.vcpus) return XenErrno.ENOENT;
    const p = this.lowest(c);
    if (p < 0) return p;
    c.ports.set(p, { state: 'ipi', vcpu });
    return p;
  }

  send(caller: number, port: number): number {
    const c = this.doms.get(caller);
    const q = c?.ports.get(port);
    if (!c || !q || port > 1023) return XenErrno.EINVAL;
    if (q.state === 'interdomain') { const r = this.doms.get(q.dom!); if (r) this.setPending(r, q.port!); return 0; }
    if (q.state === 'ipi') { this.setPending(c, port); return 0; }
    return q.state === 'unbound' ? 0 : XenErrno.EINVAL;
  }

  close(caller: number, port: number): number {
    const c = this.doms.get(caller);
    const q = c?.ports.get(port);
    if (!c) return XenErrno.ESRCH;
    if (!q || q.state === 'reserved') return XenErrno.EINVAL;
    this.closePort(c, port);
    return 0;
  }

  private closePort(c: RefDomain, port: number): void {
    const q = c.ports.get(port)!;
    if (q.state === 'interdomain') {
      const r = this.doms.get(q.dom!);
      const rq = r?.ports.get(q.port!);
      if (r && rq) r.ports.set(q.port!, { state: 'unbound', vcpu: rq.vcpu, dom: c.domid });
    }
    c.ports.delete(port);
    c.pending.delete(port);
  }

  bindVcpu(caller: number, port: number, vcpu: number): number {
    const c = this.doms.get(caller);
    if (!c) return XenErrno.ESRCH;
    if (vcpu >= c.vcpus) return XenErrno.ENOENT;
    const q = c.ports.get(port);
    if (!q || q.state === 'reserved' || q.state === 'ipi' || (q.state === 'virq' && virqClass(q.virq!) === 'vcpu')) return XenErrno.EINVAL;
    q.vcpu = vcpu;
    return 0;
  }

  unmask(caller: number, port: number): number {
    const c = this.doms.get(caller);
    if (!c || port > Math.min(c.maxPort, 1023)) return XenErrno.EINVAL;
    const vcpu = c.ports.get(port)?.vcpu ?? 0;
    if (c.masked.delete(port) && c.pending.has(port)) this.select(c, vcpu, port);
    return 0;
  }

  mask(caller: number, port: number): void { this.doms.get(caller)?.masked.add(port); }

  /** The guest's upcall handler on one vCPU: clear upcall_pending, take the selector, consume unmasked pending ports. */
  guestHandler(caller: number, vcpu: number): void {
    const c = this.doms.get(caller);
    if (!c || vcpu >= c.vcpus) return;
    c.upcall[vcpu] = false;
    const sel = c.selector[vcpu]!;
    c.selector[vcpu] = 0;
    for (const p of [...c.pending]) if ((sel >>> (p >>> 5)) & 1 && !c.masked.has(p)) c.pending.delete(p);
  }

  domainDied(domid: number): void {
    const d = this.doms.get(domid);
    if (d) for (const p of [...d.ports.keys()].sort((a, b) => b - a)) if (p !== 0) this.closePort(d, p);
    this.doms.delete(domid);
    const dom0 = this.doms.get(0);
    const exc = dom0 && [...dom0.ports].find(([, q]) => q.state === 'virq' && q.virq === 3);
    if (dom0 && exc) this.setPending(dom0, exc[0]);
  }

  private setPending(d: RefDomain, port: number): void {
    if (d.pending.has(port)) return;
    d.pending.add(port);
    if (!d.masked.has(port)) this.select(d, d.ports.get(port)?.vcpu ?? 0, port);
  }

  private select(d: RefDomain, vcpu: number, port: number): void {
    const bit = 1 << (port >>> 5);
    if (d.selector[vcpu]! & bit) return;
    d.selector[vcpu] = (d.selector[vcpu]! | bit) >>> 0;
    if (d.upcall[vcpu]) return;
    d.upcall[vcpu] = true;
    this.notes.push(`d${d.domid}v${vcpu}`);
  }

  list(domid: number): LsevtchnRow[] {
    const d = this.doms.get(domid);
    if (!d) return [];
    return [...d.ports].sort((a, b) => a[0] - b[0]).map(([port, q]) => {
      const row: LsevtchnRow = { port, state: q.state, notifyVcpu: q.vcpu, pending: d.pending.has(port), masked: d.masked.has(port) };
      if (q.dom !== undefined) row.remoteDom = q.dom;
      if (q.port !== undefined) row.remotePort = q.port;
      if (q.virq !== undefined) row.virq = q.virq;
      return row;
    });
  }
}
