/** The control page and both rings as one end reaches them: the server in its own RAM, the client through its mappings. */
import { FRAME_SIZE } from '../../vcpu/memory-layout.js';
import type { ClientMapping, MappedRun } from './client-mapping.js';
import { inPageOffset, type RingOrders } from './ring-orders.js';
import type { ServerShare, SharedRun } from './server-share.js';
import { VchanInterface } from './vchan-interface.js';
import { VchanRing } from './vchan-ring.js';

export interface VchanLink {
  readonly iface: VchanInterface;
  /** Client → server. */
  readonly left: VchanRing;
  /** Server → client. */
  readonly right: VchanRing;
}

/** The server's view: everything at RAM offsets of its own memory. */
export function serverLink(share: ServerShare, orders: RingOrders): VchanLink {
  const m = share.memory;
  const ctrlOff = m.offsetOf(share.ctrl.gpa, FRAME_SIZE);
  const ring = (order: number, run: SharedRun | null): VchanRing => {
    if (run === null) return new VchanRing(m, order, Int32Array.of(ctrlOff + inPageOffset(order)));
    const base = m.offsetOf(run.gpa, run.refs.length * FRAME_SIZE);
    return new VchanRing(m, order, Int32Array.from(run.refs, (_, i) => base + i * FRAME_SIZE));
  };
  return { iface: new VchanInterface(m, ctrlOff), left: ring(orders.left, share.left), right: ring(orders.right, share.right) };
}

/** The client's view: the granter's memory behind each of its mappings; undefined when a mapping is gone. */
export function clientLink(mapping: ClientMapping, orders: RingOrders): VchanLink | undefined {
  const ctrl = mapping.locate(mapping.ctrl)?.[0];
  if (ctrl === undefined) return undefined;
  const ring = (order: number, run: MappedRun | null): VchanRing | undefined => {
    if (run === null) return inPageOffset(order) < 0 ? undefined : new VchanRing(ctrl.memory, order, Int32Array.of(ctrl.off + inPageOffset(order)));
    const where = mapping.locate(run);
    if (where === undefined || where[0]!.memory !== ctrl.memory) return undefined;
    return new VchanRing(ctrl.memory, order, Int32Array.from(where, (w) => w.off));
  };
  const left = ring(orders.left, mapping.left);
  const right = ring(orders.right, mapping.right);
  return left && right ? { iface: new VchanInterface(ctrl.memory, ctrl.off), left, right } : undefined;
}
