/** libxenvchan_server_init: the server end shares its frames, offers an unbound port and publishes both in XenStore. */
import { xenErrnoName } from '../../event-channels/errno.js';
import type { FrameAllocator } from './frame-allocator.js';
import { Libxenvchan } from './libxenvchan.js';
import { chooseOrders } from './ring-orders.js';
import { ServerShare } from './server-share.js';
import { vchanErr, vchanOk, type VchanResult } from './vchan-errors.js';
import { vchanXsPath, type VchanHost } from './vchan-host.js';
import { VCHAN_IFACE, VCHAN_LIVE, VCHAN_NOTIFY_WRITE } from './vchan-interface.js';
import { serverLink } from './vchan-link.js';

export interface ServerInitOptions {
  /** The server domain; the rings live in its RAM. */
  domid: number;
  /** The only domain allowed to connect. */
  peer: number;
  /** The vchan port: the last element of the XenStore path (qrexec: 512 control, 513 … data). */
  port: number;
  /** Minimum ring sizes in bytes, each at most 1 MiB: left = client → server, right = server → client. */
  leftMin: number;
  rightMin: number;
  /** Frames of the server's RAM the vchan may take (control page and ring frames). */
  frames: FrameAllocator;
}

/** xenstored can make a transaction fail with EAGAIN when a node it read changed; libvchan retries. */
const XS_RETRIES = 16;

export function libxenvchanServerInit(host: VchanHost, o: ServerInitOptions): VchanResult<Libxenvchan> {
  const orders = chooseOrders(o.leftMin, o.rightMin);
  if (orders === undefined) return vchanErr('EINVAL', 'sizes', `ring sizes ${o.leftMin}/${o.rightMin} must be 0 … 1 MiB`);
  const port = host.evtchn.allocUnbound(o.domid, o.domid, o.peer);
  if (port < 0) return vchanErr(xenErrnoName(port) ?? 'EINVAL', 'alloc_unbound', `no unbound port for domain ${o.peer}`);
  host.evtchn.unmask(o.domid, port);
  const share = ServerShare.create(host, o.domid, o.peer, o.frames, orders);
  if (!share.ok) {
    host.evtchn.close(o.domid, port);
    return share;
  }
  const link = serverLink(share.value, orders);
  const iface = link.iface;
  iface.setU16(VCHAN_IFACE.LEFT_ORDER, orders.left);
  iface.setU16(VCHAN_IFACE.RIGHT_ORDER, orders.right);
  iface.setU8(VCHAN_IFACE.CLI_LIVE, VCHAN_LIVE.WAITING);
  iface.setU8(VCHAN_IFACE.SRV_LIVE, VCHAN_LIVE.CONNECTED);
  iface.setU8(VCHAN_IFACE.CLI_NOTIFY, VCHAN_NOTIFY_WRITE);
  const refs = [...(share.value.left?.refs ?? []), ...(share.value.right?.refs ?? [])];
  refs.forEach((ref, i) => iface.setU32(VCHAN_IFACE.GRANTS + 4 * i, ref));
  const published = publish(host, o, share.value.ctrl.refs[0]!, port);
  if (!published.ok) {
    share.value.release();
    host.evtchn.close(o.domid, port);
    return published;
  }
  return vchanOk(new Libxenvchan({
    host, role: 'server', domid: o.domid, peer: o.peer, vchanPort: o.port, port, orders, link, share: share.value, mapping: null,
  }));
}

/** `ring-ref` and `event-channel` in one transaction, each owned by the server with read access for the peer only. */
function publish(host: VchanHost, o: ServerInitOptions, ringRef: number, port: number): VchanResult<void> {
  const xs = host.xenstore;
  const path = vchanXsPath(o.domid, o.peer, o.port);
  const perms = [`n${o.domid}`, `r${o.peer}`];
  for (let attempt = 0; attempt < XS_RETRIES; attempt++) {
    const tx = xs.transactionStart(o.domid);
    if (!tx.ok) return vchanErr(tx.error, 'xenstore', 'cannot start a transaction');
    const steps = [
      () => xs.write(o.domid, `${path}/ring-ref`, String(ringRef), tx.value),
      () => xs.setPerms(o.domid, `${path}/ring-ref`, perms, tx.value),
      () => xs.write(o.domid, `${path}/event-channel`, String(port), tx.value),
      () => xs.setPerms(o.domid, `${path}/event-channel`, perms, tx.value),
    ];
    for (const step of steps) {
      const r = step();
      if (!r.ok) {
        xs.transactionEnd(o.domid, tx.value, false);
        return vchanErr(r.error, 'xenstore', `cannot publish ${path}`);
      }
    }
    const end = xs.transactionEnd(o.domid, tx.value, true);
    if (end.ok) return vchanOk(undefined);
    if (end.error !== 'EAGAIN') return vchanErr(end.error, 'xenstore', `cannot commit ${path}`);
  }
  return vchanErr('EAGAIN', 'xenstore', `${path} kept changing under the transaction`);
}
