/** libvchan for Cella: rings in granted frames of the server's RAM, signalled through an event channel. */
export { libxenvchanServerInit, type ServerInitOptions } from './server-init.js';
export { libxenvchanClientInit, type ClientInitOptions } from './client-init.js';
export { Libxenvchan, type VchanConnState, type VchanListener, type VchanRole } from './libxenvchan.js';
export { restoreLibxenvchan, libxenvchanStateSchema, type LibxenvchanState } from './libxenvchan.persist.js';
export { FrameRange, type FrameAllocator, type FrameRangeState } from './frame-allocator.js';
export { vchanXsPath, type VchanHost } from './vchan-host.js';
export { VCHAN_CLOSED, VCHAN_TOO_BIG, type VchanError, type VchanErrorCode, type VchanResult, type VchanStep } from './vchan-errors.js';
export { VCHAN_IFACE, VCHAN_LIVE, VCHAN_NOTIFY_READ, VCHAN_NOTIFY_WRITE } from './vchan-interface.js';
export { MAX_RING_SHIFT, MAX_RING_SIZE, chooseOrders, ordersValid, type RingOrders } from './ring-orders.js';
