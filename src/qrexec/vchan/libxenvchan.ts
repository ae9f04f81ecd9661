/** One end of a libvchan connection (`struct libxenvchan`): non-blocking stream and packet I/O over the shared rings. */
import type { ClientMapping } from './client-mapping.js';
import type { LibxenvchanState } from './libxenvchan.persist.js';
import type { RingOrders } from './ring-orders.js';
import type { ServerShare } from './server-share.js';
import { VCHAN_CLOSED, VCHAN_TOO_BIG } from './vchan-errors.js';
import { domainAlive, vchanXsPath, type VchanHost } from './vchan-host.js';
import { VCHAN_IFACE, VCHAN_LIVE, VCHAN_NOTIFY_READ, VCHAN_NOTIFY_WRITE } from './vchan-interface.js';
import type { VchanLink } from './vchan-link.js';
import type { VchanRing } from './vchan-ring.js';

export type VchanRole = 'server' | 'client';
/** Qubes' libvchan_is_open values: the peer is gone, connected, or (server only) not connected yet. */
export type VchanConnState = 'disconnected' | 'connected' | 'waiting';
export type VchanListener = () => void;

/** Where each end finds its indexes, live bytes and notify bytes in the control page. */
const SERVER = {
  rdCons: VCHAN_IFACE.LEFT_CONS, rdProd: VCHAN_IFACE.LEFT_PROD, wrCons: VCHAN_IFACE.RIGHT_CONS, wrProd: VCHAN_IFACE.RIGHT_PROD,
  ownLive: VCHAN_IFACE.SRV_LIVE, peerLive: VCHAN_IFACE.CLI_LIVE, ownNotify: VCHAN_IFACE.SRV_NOTIFY, peerNotify: VCHAN_IFACE.CLI_NOTIFY,
} as const;
const CLIENT = {
  rdCons: VCHAN_IFACE.RIGHT_CONS, rdProd: VCHAN_IFACE.RIGHT_PROD, wrCons: VCHAN_IFACE.LEFT_CONS, wrProd: VCHAN_IFACE.LEFT_PROD,
  ownLive: VCHAN_IFACE.CLI_LIVE, peerLive: VCHAN_IFACE.SRV_LIVE, ownNotify: VCHAN_IFACE.CLI_NOTIFY, peerNotify: VCHAN_IFACE.SRV_NOTIFY,
} as const;

export interface LibxenvchanParts {
  host: VchanHost;
  role: VchanRole;
  domid: number;
  peer: number;
  /** The vchan port number in the XenStore path (qrexec's 512, 513 …). */
  vchanPort: number;
  /** This end's event-channel port. */
  port: number;
  orders: RingOrders;
  /** null once closed. */
  link: VchanLink | null;
  share: ServerShare | null;
  mapping: ClientMapping | null;
}

/**
 * Data crosses only through the shared frames. Indexes are free-running u32; an amount larger than the
 * ring (a corrupt or hostile peer) counts as 0. An event is sent only when the peer armed the matching
 * notify bit; a call that finds too little data or space arms ours. Nothing here throws for what the
 * peer does, and the copy paths allocate nothing beyond the arrays `read`/`recv` return.
 */
export class Libxenvchan {
  readonly host: VchanHost;
  readonly role: VchanRole;
  readonly domid: number;
  readonly peer: number;
  readonly vchanPort: number;
  readonly port: number;
  readonly orders: RingOrders;
  readonly share: ServerShare | null;
  readonly mapping: ClientMapping | null;
  private link: VchanLink | null;
  private readonly at: typeof SERVER | typeof CLIENT;
  private readable: readonly VchanListener[] = [];
  private writable: readonly VchanListener[] = [];

  constructor(p: LibxenvchanParts) {
    this.host = p.host;
    this.role = p.role;
    this.domid = p.domid;
    this.peer = p.peer;
    this.vchanPort = p.vchanPort;
    this.port = p.port;
    this.orders = p.orders;
    this.link = p.link;
    this.share = p.share;
    this.mapping = p.mapping;
    this.at = p.role === 'server' ? SERVER : CLIENT;
  }

  /** Bytes the read ring holds when full. */
  get readSize(): number {
    return 2 ** (this.role === 'server' ? this.orders.left : this.orders.right);
  }

  get writeSize(): number {
    return 2 ** (this.role === 'server' ? this.orders.right : this.orders.left);
  }

  get closed(): boolean {
    return this.link === null;
  }

  // ---- state ----

  /** Server: the client's cli_live (0 gone, 1 connected, 2 not yet); client: srv_live. A dead peer domain is gone. */
  state(): VchanConnState {
    const l = this.link;
    if (l === null || !domainAlive(this.host, this.peer) || !domainAlive(this.host, this.domid)) return 'disconnected';
    const live = l.iface.u8(this.at.peerLive);
    if (live === VCHAN_LIVE.EXITED) return 'disconnected';
    return live === VCHAN_LIVE.WAITING && this.role === 'server' ? 'waiting' : 'connected';
  }

  isOpen(): boolean {
    return this.state() !== 'disconnected';
  }

  /** Bytes ready to read; arms VCHAN_NOTIFY_WRITE so the peer's next write wakes us. */
  dataReady(): number {
    if (this.link === null) return 0;
    this.requestNotify(VCHAN_NOTIFY_WRITE);
    return this.rawDataReady(this.link);
  }

  /** Bytes that fit in the write ring; arms VCHAN_NOTIFY_READ so the peer's next read wakes us. */
  bufferSpace(): number {
    if (this.link === null) return 0;
    this.requestNotify(VCHAN_NOTIFY_READ);
    return this.rawBufferSpace(this.link);
  }

  // ---- stream I/O ----

  /** Writes what fits of src[offset, offset+length): the count accepted (0 when full), or VCHAN_CLOSED. */
  write(src: Uint8Array, offset = 0, length = src.length - offset): number {
    const l = this.link;
    if (l === null || !this.isOpen()) return VCHAN_CLOSED;
    length = Math.min(length, src.length - offset);
    const n = Math.min(length, this.fastBufferSpace(l, length));
    if (n <= 0) return 0;
    this.doSend(l, src, offset, n);
    return n;
  }

  /** Reads what is there, up to `length`, into dst: the count (0 when empty), or VCHAN_CLOSED once drained and closed. */
  readInto(dst: Uint8Array, offset = 0, length = dst.length - offset): number {
    const l = this.link;
    if (l === null) return VCHAN_CLOSED;
    length = Math.min(length, dst.length - offset);
    const avail = this.fastDataReady(l, length);
    if (avail > 0 && length > 0) {
      const n = Math.min(length, avail);
      this.doRecv(l, dst, offset, n);
      return n;
    }
    return this.isOpen() ? 0 : VCHAN_CLOSED;
  }

  /** Up to `max` bytes as a new array, 'would-block' when none are there, 'eof' once drained and closed. */
  read(max: number): Uint8Array | 'eof' | 'would-block' {
    const l = this.link;
    if (l === null) return 'eof';
    const avail = this.fastDataReady(l, max);
    if (avail > 0 && max > 0) {
      const out = new Uint8Array(Math.min(max, avail));
      this.doRecv(l, out, 0, out.length);
      return out;
    }
    return this.isOpen() ? 'would-block' : 'eof';
  }

  // ---- packet I/O (all or nothing) ----

  /** Writes all of src[offset, offset+length) or nothing: length, 0 (no room yet), VCHAN_CLOSED or VCHAN_TOO_BIG. */
  send(src: Uint8Array, offset = 0, length = src.length - offset): number {
    checkRange(src, offset, length);
    const l = this.link;
    if (l === null || !this.isOpen()) return VCHAN_CLOSED;
    if (length > this.writeSize) return VCHAN_TOO_BIG;
    if (this.fastBufferSpace(l, length) < length) return 0;
    if (length > 0) this.doSend(l, src, offset, length);
    return length;
  }

  /** Reads exactly `length` bytes into dst or nothing: length, 0 (not all there yet), VCHAN_CLOSED or VCHAN_TOO_BIG. */
  recvInto(dst: Uint8Array, offset: number, length: number): number {
    checkRange(dst, offset, length);
    const l = this.link;
    if (l === null) return VCHAN_CLOSED;
    if (length > this.readSize) return VCHAN_TOO_BIG;
    if (this.fastDataReady(l, length) >= length) {
      if (length > 0) this.doRecv(l, dst, offset, length);
      return length;
    }
    return this.isOpen() ? 0 : VCHAN_CLOSED;
  }

  /** Exactly `length` bytes as a new array, or 'would-block', 'eof' (closed before they all came), 'too-big'. */
  recv(length: number): Uint8Array | 'eof' | 'would-block' | 'too-big' {
    const l = this.link;
    if (l === null) return 'eof';
    if (length > this.readSize) return 'too-big';
    if (this.fastDataReady(l, length) >= length) {
      const out = new Uint8Array(length);
      if (length > 0) this.doRecv(l, out, 0, length);
      return out;
    }
    return this.isOpen() ? 'would-block' : 'eof';
  }

  // ---- events ----

  /**
   * The owner calls this when the end's port fires (and when the peer domain died: Xen closes the port
   * without an event). Acknowledges the port (clears its pending bit, as the kernel's upcall handler does),
   * then tells readable listeners when data is there or the peer is gone, writable ones when there is room or
   * the peer is gone.
   */
  onEvent(): void {
    const l = this.link;
    if (l === null) return;
    this.host.evtchn.table(this.domid)?.sharedInfo.clearPending(this.port);
    const open = this.isOpen();
    if (!open || this.rawDataReady(l) > 0) emit(this.readable);
    if (!open || this.rawBufferSpace(l) > 0) emit(this.writable);
  }

  /** Adds a listener called from onEvent when a read may succeed; returns its removal. */
  onReadable(fn: VchanListener): () => void {
    this.readable = [...this.readable, fn];
    return () => { this.readable = this.readable.filter((f) => f !== fn); };
  }

  onWritable(fn: VchanListener): () => void {
    this.writable = [...this.writable, fn];
    return () => { this.writable = this.writable.filter((f) => f !== fn); };
  }

  // ---- close ----

  /**
   * libxenvchan_close: our live byte to 0, the frames unshared (server) or unmapped (client), a final
   * event, the port closed, and the server's XenStore directory removed. A dead own domain has nothing
   * left to undo. Frames the peer still maps stay with the server until reclaim() can end their grants.
   */
  close(): void {
    const l = this.link;
    if (l === null) return;
    this.link = null;
    if (!domainAlive(this.host, this.domid)) return;
    if (this.role === 'server' || this.mapping?.locate(this.mapping.ctrl)) l.iface.setU8(this.at.ownLive, VCHAN_LIVE.EXITED);
    const published = this.role === 'server' && this.stillPublished();
    this.share?.release();
    this.mapping?.release();
    this.host.evtchn.send(this.domid, this.port);
    this.host.evtchn.close(this.domid, this.port);
    if (published) this.host.xenstore.rm(this.domid, vchanXsPath(this.domid, this.peer, this.vchanPort));
  }

  /**
   * Whether the server's XenStore directory still names this end. A newer server on the same port
   * (the port was freed once the peer was done, before we closed) has written its own ring-ref and
   * event-channel there: removing them would leave its client nothing to connect to.
   */
  private stillPublished(): boolean {
    const path = vchanXsPath(this.domid, this.peer, this.vchanPort);
    const ref = this.host.xenstore.read(this.domid, `${path}/ring-ref`);
    const port = this.host.xenstore.read(this.domid, `${path}/event-channel`);
    return ref.ok && port.ok && ref.value === String(this.share?.ctrl.refs[0]) && port.value === String(this.port);
  }

  /** Server after close: ends the grants the peer has unmapped since; returns how many frames are still held. */
  reclaim(): number {
    if (this.share === null) return 0;
    return domainAlive(this.host, this.domid) ? this.share.reclaim() : 0;
  }

  /** Plain data for a suspend file (see libxenvchan.persist.ts for the restore). */
  save(): LibxenvchanState {
    return {
      role: this.role, domid: this.domid, peer: this.peer, vchanPort: this.vchanPort, port: this.port, orders: { ...this.orders },
      closed: this.closed, share: this.share?.save() ?? null, mapping: this.closed ? null : (this.mapping?.save() ?? null),
    };
  }

  // ---- libvchan's io.c ----

  private rawDataReady(l: VchanLink): number {
    const ring = this.role === 'server' ? l.left : l.right;
    const ready = (l.iface.u32(this.at.rdProd) - l.iface.u32(this.at.rdCons)) >>> 0;
    return ready > ring.size ? 0 : ready;
  }

  private rawBufferSpace(l: VchanLink): number {
    const ring = this.role === 'server' ? l.right : l.left;
    const space = (ring.size - ((l.iface.u32(this.at.wrProd) - l.iface.u32(this.at.wrCons)) >>> 0)) >>> 0;
    return space > ring.size ? 0 : space;
  }

  private fastDataReady(l: VchanLink, request: number): number {
    const ready = this.rawDataReady(l);
    if (ready >= request) return ready;
    this.requestNotify(VCHAN_NOTIFY_WRITE);
    return this.rawDataReady(l);
  }

  private fastBufferSpace(l: VchanLink, request: number): number {
    const space = this.rawBufferSpace(l);
    if (space >= request) return space;
    this.requestNotify(VCHAN_NOTIFY_READ);
    return this.rawBufferSpace(l);
  }

  /** Asks the peer for an event: OR the bit into its notify byte. */
  private requestNotify(bit: number): void {
    this.link?.iface.orBits(this.at.peerNotify, bit);
  }

  /** Clears the bit in our notify byte; sends an event only if the peer had set it. */
  private sendNotify(l: VchanLink, bit: number): void {
    if ((l.iface.fetchAndClear(this.at.ownNotify, bit) & bit) !== 0) this.host.evtchn.send(this.domid, this.port);
  }

  private doRecv(l: VchanLink, dst: Uint8Array, offset: number, n: number): void {
    const ring: VchanRing = this.role === 'server' ? l.left : l.right;
    const cons = l.iface.u32(this.at.rdCons);
    ring.copyOut(cons & ring.mask, dst, offset, n);
    l.iface.setU32(this.at.rdCons, cons + n);
    this.sendNotify(l, VCHAN_NOTIFY_READ);
  }

  private doSend(l: VchanLink, src: Uint8Array, offset: number, n: number): void {
    const ring: VchanRing = this.role === 'server' ? l.right : l.left;
    const prod = l.iface.u32(this.at.wrProd);
    ring.copyIn(prod & ring.mask, src, offset, n);
    l.iface.setU32(this.at.wrProd, prod + n);
    this.sendNotify(l, VCHAN_NOTIFY_WRITE);
  }
}

/** A packet call whose own buffer is too small is the caller's bug, not the peer's: it throws. */
function checkRange(buf: Uint8Array, offset: number, length: number): void {
  if (!Number.isInteger(offset) || !Number.isInteger(length) || offset < 0 || length < 0 || offset + length > buf.length) {
    throw new RangeError(`[${offset}, ${offset}+${length}) is outside a buffer of ${buf.length} bytes`);
  }
}

function emit(listeners: readonly VchanListener[]): void {
  for (let i = 0; i < listeners.length; i++) listeners[i]!();
}
