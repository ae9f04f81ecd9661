/** libvchan ring sizes: how a server picks the two orders, where each ring lives, what a client accepts. */
import { FRAME_SHIFT, FRAME_SIZE } from '../../vcpu/memory-layout.js';
import { VCHAN_IFACE } from './vchan-interface.js';

/** 1 KiB ring inside the control page at 1024. */
export const SMALL_RING_SHIFT = 10;
export const SMALL_RING_OFFSET = 1024;
/** 2 KiB ring inside the control page at 2048. */
export const LARGE_RING_SHIFT = 11;
export const LARGE_RING_OFFSET = 2048;
/** Largest ring: 1 MiB (a larger one would not fit its grant list into the page). */
export const MAX_RING_SHIFT = 20;
export const MAX_RING_SIZE = 1 << MAX_RING_SHIFT;

export interface RingOrders { left: number; right: number }

/** Frames granted separately for a ring of `order` (0 for the two in-page orders). */
export const ringFrames = (order: number): number => (order >= FRAME_SHIFT ? 1 << (order - FRAME_SHIFT) : 0);

/** Offset of an in-page ring in the control page, or -1 for a ring in its own frames. */
export function inPageOffset(order: number): number {
  if (order === SMALL_RING_SHIFT) return SMALL_RING_OFFSET;
  if (order === LARGE_RING_SHIFT) return LARGE_RING_OFFSET;
  return -1;
}

/** The smallest order ≥ 12 whose ring holds `min` bytes. */
function frameOrder(min: number): number {
  let order = FRAME_SHIFT;
  while (1 << order < min) order++;
  return order;
}

/**
 * libxenvchan_server_init's choice for the requested minimum sizes (left: client → server, right:
 * server → client): both rings in the control page when they fit as 1 KiB + 2 KiB, else the one that fits
 * in 2 KiB goes in the page, else both get frames. Undefined when a size is negative or above 1 MiB.
 */
export function chooseOrders(leftMin: number, rightMin: number): RingOrders | undefined {
  const valid = (n: number): boolean => Number.isInteger(n) && n >= 0 && n <= MAX_RING_SIZE;
  if (!valid(leftMin) || !valid(rightMin)) return undefined;
  const small = 1 << SMALL_RING_SHIFT, large = 1 << LARGE_RING_SHIFT;
  if (leftMin <= small && rightMin <= large) return { left: SMALL_RING_SHIFT, right: LARGE_RING_SHIFT };
  if (leftMin <= large && rightMin <= small) return { left: LARGE_RING_SHIFT, right: SMALL_RING_SHIFT };
  if (leftMin <= large) return { left: LARGE_RING_SHIFT, right: frameOrder(rightMin) };
  if (rightMin <= large) return { left: frameOrder(leftMin), right: LARGE_RING_SHIFT };
  return { left: frameOrder(leftMin), right: frameOrder(rightMin) };
}

/**
 * What a client accepts from the page: both orders in 10 … 20, not the same in-page order twice, and the
 * grant list ending before the first in-page ring (libvchan checks the first two; the third keeps a hostile
 * server from making the grant list and a ring overlap).
 */
export function ordersValid(o: RingOrders): boolean {
  const inRange = (n: number): boolean => n >= SMALL_RING_SHIFT && n <= MAX_RING_SHIFT;
  if (!inRange(o.left) || !inRange(o.right)) return false;
  if (o.left === o.right && o.left < FRAME_SHIFT) return false;
  const offsets = [inPageOffset(o.left), inPageOffset(o.right)].filter((x) => x >= 0);
  const limit = Math.min(FRAME_SIZE, ...offsets);
  return VCHAN_IFACE.GRANTS + 4 * (ringFrames(o.left) + ringFrames(o.right)) <= limit;
}
