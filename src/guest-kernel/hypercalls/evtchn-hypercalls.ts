/** Event-channel hypercalls: EVTCHNOP_* with Xen's results (a port, 0, or a negative Xen errno), and shared-info registration. */
import type { EventChannels } from '../../event-channels/event-channels.js';
import type { HypercallTable } from '../hypercall-table.js';
import { Hypercall } from '../hypercall-numbers.js';
import { negErrno } from '../errno.js';
import { returns } from '../syscall-outcome.js';

export function registerEvtchnHypercalls(table: HypercallTable, domid: number, evtchn: EventChannels): void {
  const ret = (value: number) => returns(value);
  table.register(Hypercall.evtchn_alloc_unbound, (_c, a) => ret(evtchn.allocUnbound(domid, a[0] & 0xffff, a[1] & 0xffff)));
  table.register(Hypercall.evtchn_bind_interdomain, (_c, a) => ret(evtchn.bindInterdomain(domid, a[0] & 0xffff, a[1] >>> 0)));
  table.register(Hypercall.evtchn_bind_virq, (_c, a) => ret(evtchn.bindVirq(domid, a[0] >>> 0, a[1] >>> 0)));
  table.register(Hypercall.evtchn_bind_ipi, (_c, a) => ret(evtchn.bindIpi(domid, a[0] >>> 0)));
  table.register(Hypercall.evtchn_send, (_c, a) => ret(evtchn.send(domid, a[0] >>> 0)));
  table.register(Hypercall.evtchn_close, (_c, a) => ret(evtchn.close(domid, a[0] >>> 0)));
  table.register(Hypercall.evtchn_unmask, (_c, a) => ret(evtchn.unmask(domid, a[0] >>> 0)));
  table.register(Hypercall.evtchn_bind_vcpu, (_c, a) => ret(evtchn.bindVcpu(domid, a[0] >>> 0, a[1] >>> 0)));
  table.register(Hypercall.evtchn_reset, (_c, a) => ret(evtchn.reset(domid, a[0] & 0xffff)));
  // the caller names the frame by its own address for it (one it does not map names none, 0); Xen keeps the guest-physical one
  table.register(Hypercall.register_shared_info, (c, a) => ret(evtchn.registerSharedInfo(domid, c.memory.physicalAddress(a[0]) ?? 0)));
  // status(dom, port, out): struct { u32 status; u32 vcpu; u32 a; u32 b } (a/b: remote dom and port, or the virq)
  table.register(Hypercall.evtchn_status, (ctx, a) => {
    const s = evtchn.status(domid, a[0] & 0xffff, a[1] >>> 0);
    if (typeof s === 'number') return ret(s);
    const a2 = 'virq' in s ? s.virq : 'dom' in s ? s.dom : 0;
    const a3 = 'port' in s ? s.port : 0;
    const words = [s.status, s.vcpu, a2, a3];
    const out = a[2] >>> 0;
    if (!ctx.memory.canAccess(out, 16, true)) return ret(negErrno('EFAULT'));
    words.forEach((w, i) => ctx.memory.writeU32(out + 4 * i, w >>> 0));
    return ret(0);
  });
}
