/**
 * A qrexec link: framed messages over one vchan end. It says HELLO, agrees on the version, then
 * sends messages through an outbox flushed as the ring empties and hands decoded messages to its
 * owner, who may pause reading (backpressure: bytes stay in the ring and the peer blocks).
 */
import {
  encodeMessage,
  MSG,
  QrexecDecoder,
  QrexecHandshake,
  type ChannelKind,
  type DecoderSnapshot,
  type HandshakeState,
  type QrexecMessage,
  type Refusal,
} from './protocol/index.js';
import type { Libxenvchan } from './vchan/libxenvchan.js';

export interface LinkHandlers {
  /** The handshake is done: messages may be sent. */
  onReady?(): void;
  onMessage(msg: QrexecMessage): void;
  /** A request the daemon answers with SERVICE_REFUSED (the link goes on). */
  onRefused?(refusal: Refusal): void;
  /** The link is over: the peer closed or died, or the protocol broke (`error`). */
  onClosed(error: string | null): void;
  /** The outbox drained below the low-water mark: bulk senders may go on. */
  onDrained?(): void;
}

/** Senders of bulk data stop while this much waits for ring space, and go on below a quarter of it. */
export const HIGH_WATER = 256 * 1024;

const READ_CHUNK = 64 * 1024;

/** A link's own state as plain data (its vchan end is saved apart): what a suspend file keeps. */
export interface LinkState {
  ready: boolean;
  closed: boolean;
  closing: boolean;
  paused: boolean;
  /** Bytes queued for the ring, base64. */
  outbox: string;
  /** Messages sent before the handshake, with their data base64. */
  early: Record<string, unknown>[];
  decoder: DecoderSnapshot;
  handshake: { state: HandshakeState; agreed: number };
}

const messageToJson = (m: QrexecMessage): Record<string, unknown> =>
  'data' in m ? { ...m, data: Buffer.from(m.data).toString('base64') } : { ...m };
const messageFromJson = (j: Record<string, unknown>): QrexecMessage =>
  (typeof j.data === 'string' ? { ...j, data: new Uint8Array(Buffer.from(j.data, 'base64')) } : j) as unknown as QrexecMessage;

export class QrexecLink {
  private readonly decoder: QrexecDecoder;
  private readonly handshake: QrexecHandshake;
  private readonly outbox: Uint8Array[] = [];
  private readonly early: QrexecMessage[] = [];
  private outboxed = 0;
  private readonly buf = new Uint8Array(READ_CHUNK);
  private ready = false;
  private closed = false;
  private closing = false;
  /** The owner cannot take more messages now; `resume()` reads on. */
  paused = false;
  private scheduled = false;
  private readonly stops: (() => void)[] = [];
  private readonly finishHooks: (() => void)[] = [];

  constructor(
    readonly end: Libxenvchan,
    /** What this side receives on the link (protocol/channel-kind.ts). */
    channel: ChannelKind,
    private handlers: LinkHandlers,
    /** A saved link to go on with (resume), instead of opening with HELLO. */
    saved?: LinkState,
  ) {
    this.decoder = new QrexecDecoder({ channel });
    this.handshake = new QrexecHandshake({ role: end.role === 'server' ? 'server' : 'client' });
    if (saved) {
      this.restore(saved);
      if (this.closed) return;
    }
    this.stops.push(end.onReadable(() => this.pump()), end.onWritable(() => this.pump()));
    if (saved) return;
    const hello = this.handshake.start();
    if (hello) this.write(hello);
  }

  save(): LinkState {
    return {
      ready: this.ready, closed: this.closed, closing: this.closing, paused: this.paused,
      outbox: Buffer.concat(this.outbox).toString('base64'), early: this.early.map(messageToJson),
      decoder: this.decoder.save(), handshake: this.handshake.save(),
    };
  }

  private restore(s: LinkState): void {
    this.ready = s.ready;
    this.closed = s.closed;
    this.closing = s.closing;
    this.paused = s.paused;
    const out = new Uint8Array(Buffer.from(s.outbox, 'base64'));
    if (out.length > 0) this.outbox.push(out);
    this.outboxed = out.length;
    this.early.push(...s.early.map(messageFromJson));
    this.decoder.restore(s.decoder);
    this.handshake.restore(s.handshake);
  }

  /** Stops listening to the vchan end without closing anything (the VM is being suspended). */
  detach(): void {
    for (const stop of this.stops.splice(0)) stop();
    this.detached = true;
  }

  private detached = false;

  /** Runs `fn` once when the link is over (the owner's event listener is removed there). */
  onFinished(fn: () => void): void {
    if (this.closed) fn();
    else this.finishHooks.push(fn);
  }

  /** Hands the link to another owner (a data link set up by the agent, then run by a call). */
  setHandlers(handlers: LinkHandlers): void {
    this.handlers = handlers;
    this.schedule();
  }

  get isReady(): boolean {
    return this.ready;
  }

  /** Bytes queued but not yet in the ring: senders of bulk data wait while it is high. */
  get queued(): number {
    return this.outboxed;
  }

  /** Queues a message; until the handshake is done it waits (messages are encoded with the agreed version). */
  send(msg: QrexecMessage): boolean {
    if (this.closed) return false;
    if (!this.ready) {
      this.early.push(msg);
      return true;
    }
    const frame = encodeMessage(msg, this.handshake.version);
    if (!frame.ok) return false;
    this.write(frame.value);
    return true;
  }

  resume(): void {
    this.paused = false;
    this.schedule();
  }

  /** Runs the link soon (from an event: never inside the event-channel hook itself). */
  schedule(): void {
    if (this.scheduled || this.closed || this.detached) return;
    this.scheduled = true;
    setImmediate(() => {
      this.scheduled = false;
      if (this.detached || this.closed) return;
      this.end.onEvent();
      this.pump();
    });
  }

  /**
   * Closes the vchan end once everything queued is in the ring (the peer reads it, then sees the
   * close). Before the handshake is done, messages sent early are still owed: it closes after them.
   */
  close(): void {
    if (this.closed) return;
    this.closing = true;
    // flush closes the end once the outbox is empty (before the handshake, the early messages go first)
    if (this.ready) this.flush();
  }

  private write(frame: Uint8Array): void {
    this.outbox.push(frame);
    this.outboxed += frame.length;
    this.flush();
  }

  private flush(): void {
    const before = this.outboxed;
    while (this.outbox.length > 0) {
      const head = this.outbox[0];
      const n = this.end.write(head);
      if (n < 0) {
        // the peer is gone: what it wrote before going is still to be read, then the link ends
        this.outbox.length = 0;
        this.outboxed = 0;
        this.schedule();
        break;
      }
      if (n === 0) break;
      this.outboxed -= n;
      if (n === head.length) this.outbox.shift();
      else this.outbox[0] = head.subarray(n);
    }
    if (before >= HIGH_WATER / 4 && this.outboxed < HIGH_WATER / 4) this.handlers.onDrained?.();
    if (this.closing && this.ready && this.early.length === 0 && this.outbox.length === 0 && !this.closed) {
      this.finish(null);
      this.end.close();
    }
  }

  private pump(): void {
    if (this.closed) return;
    this.flush();
    while (!this.paused && !this.closed) {
      const n = this.end.readInto(this.buf);
      if (n <= 0) {
        // 0: nothing to read yet, the end still open (readInto says closed with a negative count)
        if (n < 0) this.finish(this.decoder.end().find((e) => e.kind === 'error') ? 'the peer closed mid-message' : null);
        return;
      }
      for (const ev of this.decoder.push(this.buf.subarray(0, n))) this.dispatch(ev);
    }
  }

  private dispatch(ev: ReturnType<QrexecDecoder['push']>[number]): void {
    if (this.closed) return;
    if (ev.kind === 'error') return this.finish(`${ev.error.code}: ${ev.error.detail}`);
    if (ev.kind === 'refused') return this.handlers.onRefused?.(ev.refusal);
    if (ev.msg.type === MSG.HELLO) {
      const r = this.handshake.receive(ev.msg.version);
      if (!r.ok) return this.finish(r.error.detail);
      if (r.value.reply) this.write(r.value.reply);
      this.ready = true;
      // one at a time: a pending close waits until the last of them is in the outbox
      while (this.early.length > 0) this.send(this.early.shift()!);
      if (this.closing) this.flush();
      this.handlers.onReady?.();
      for (const e of this.decoder.setVersion(r.value.version)) this.dispatch(e);
      return;
    }
    this.handlers.onMessage(ev.msg);
  }

  private finish(error: string | null): void {
    if (this.closed) return;
    this.closed = true;
    for (const stop of this.stops) stop();
    for (const hook of this.finishHooks.splice(0)) hook();
    this.handlers.onClosed(error);
  }
}
