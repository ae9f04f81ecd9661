/** libxenvchan_client_init: the client end finds the server's page in XenStore, binds its port and maps the rings. */
import { xenErrnoName } from '../../event-channels/errno.js';
import { ClientMapping } from './client-mapping.js';
import type { FrameAllocator } from './frame-allocator.js';
import { Libxenvchan } from './libxenvchan.js';
import { ordersValid, ringFrames, type RingOrders } from './ring-orders.js';
import { vchanErr, vchanOk, type VchanResult } from './vchan-errors.js';
import { vchanXsPath, type VchanHost } from './vchan-host.js';
import { VCHAN_IFACE, VCHAN_LIVE, VCHAN_NOTIFY_WRITE, VchanInterface } from './vchan-interface.js';
import { clientLink } from './vchan-link.js';

export interface ClientInitOptions {
  /** The client domain (a VM's PV kernel, or dom0's host code). */
  domid: number;
  /** The server domain, whose XenStore home holds the vchan. */
  server: number;
  /** The vchan port in the path. */
  port: number;
  /** Free slots of the client's grant-mapping window (GRANT_MAP_WINDOW_BASE …), one per mapped frame. */
  slots: FrameAllocator;
}

export function libxenvchanClientInit(host: VchanHost, o: ClientInitOptions): VchanResult<Libxenvchan> {
  const path = vchanXsPath(o.server, o.domid, o.port);
  const ringRef = readNumber(host, o.domid, `${path}/ring-ref`);
  if (!ringRef.ok) return ringRef;
  const evport = readNumber(host, o.domid, `${path}/event-channel`);
  if (!evport.ok) return evport;
  const port = host.evtchn.bindInterdomain(o.domid, o.server, evport.value);
  if (port < 0) return vchanErr(xenErrnoName(port) ?? 'EINVAL', 'bind_interdomain', `cannot bind port ${evport.value} of domain ${o.server}`);
  host.evtchn.unmask(o.domid, port);
  const mapped = ClientMapping.mapControl(host, o.domid, o.server, o.slots, ringRef.value);
  if (!mapped.ok) {
    host.evtchn.close(o.domid, port);
    return mapped;
  }
  const mapping = mapped.value;
  const undoWith = <T>(r: VchanResult<T>): VchanResult<T> => {
    mapping.release();
    host.evtchn.close(o.domid, port);
    return r;
  };
  const ctrl = mapping.locate(mapping.ctrl)![0]!;
  const page = new VchanInterface(ctrl.memory, ctrl.off);
  const orders: RingOrders = { left: page.u16(VCHAN_IFACE.LEFT_ORDER), right: page.u16(VCHAN_IFACE.RIGHT_ORDER) };
  if (!ordersValid(orders)) return undoWith(vchanErr('EPROTO', 'orders', `ring orders ${orders.left}/${orders.right} are not acceptable`));
  const refs = Array.from({ length: ringFrames(orders.left) + ringFrames(orders.right) }, (_, i) => page.u32(VCHAN_IFACE.GRANTS + 4 * i));
  for (const [side, list, readonly] of [['left', refs.slice(0, ringFrames(orders.left)), false], ['right', refs.slice(ringFrames(orders.left)), true]] as const) {
    if (list.length === 0) continue;
    const run = mapping.mapRing(list, readonly);
    if (!run.ok) return undoWith(run);
    mapping[side] = run.value;
  }
  const link = clientLink(mapping, orders);
  if (link === undefined) return undoWith(vchanErr('EPROTO', 'map_grant_ref', 'the mapped frames are not all in the server\'s RAM'));
  link.iface.setU8(VCHAN_IFACE.CLI_LIVE, VCHAN_LIVE.CONNECTED);
  link.iface.setU8(VCHAN_IFACE.SRV_NOTIFY, VCHAN_NOTIFY_WRITE);
  host.evtchn.send(o.domid, port);
  return vchanOk(new Libxenvchan({
    host, role: 'client', domid: o.domid, peer: o.server, vchanPort: o.port, port, orders, link, share: null, mapping,
  }));
}

/** A XenStore value that must be a decimal number above 0 (libvchan treats 0 or garbage as failure). */
function readNumber(host: VchanHost, domid: number, path: string): VchanResult<number> {
  const r = host.xenstore.read(domid, path);
  if (!r.ok) return vchanErr(r.error, 'xenstore', `cannot read ${path}`);
  const n = /^[0-9]{1,10}$/.test(r.value) ? Number(r.value) : 0;
  return n > 0 && n <= 0xffff_ffff ? vchanOk(n) : vchanErr('EINVAL', 'xenstore', `${path} is not a positive number: ${JSON.stringify(r.value)}`);
}
