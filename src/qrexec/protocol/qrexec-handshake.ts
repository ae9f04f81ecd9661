/** The MSG_HELLO exchange that opens every qrexec link: the server speaks first, both settle on the lower version. */
import { MSG } from './msg-type.js';
import { protocolErr, protocolOk, type ProtocolResult } from './protocol-error.js';
import { encodeMessage } from './qrexec-encoder.js';
import { QREXEC_MIN_VERSION, QREXEC_PROTOCOL_VERSION } from './qrexec-constants.js';

/** The server of the link (the vchan server; the daemon on its socket) sends its MSG_HELLO first. */
export type HandshakeRole = 'server' | 'client';
export type HandshakeState = 'start' | 'wait-peer' | 'done' | 'failed';

export interface HandshakeOptions {
  role: HandshakeRole;
  /** What this end speaks (Cella: 3). */
  version?: number;
  /** The lowest version this end accepts (qrexec-daemon: 2 from agents, 3 from clients). */
  minVersion?: number;
}

/** The agreed version, and what to send back (the client's own MSG_HELLO; nothing for the server). */
export interface HandshakeDone { readonly version: number; readonly reply: Uint8Array | null }

export class QrexecHandshake {
  readonly role: HandshakeRole;
  readonly localVersion: number;
  readonly minVersion: number;
  private stateValue: HandshakeState = 'start';
  private agreed = 0;

  constructor(o: HandshakeOptions) {
    this.role = o.role;
    this.localVersion = o.version ?? QREXEC_PROTOCOL_VERSION;
    this.minVersion = o.minVersion ?? QREXEC_MIN_VERSION;
  }

  get state(): HandshakeState {
    return this.stateValue;
  }

  /** The version agreed on (0 before). */
  get version(): number {
    return this.agreed;
  }

  /** Opens the link: the server's MSG_HELLO to send; null for a client, which waits. */
  start(): Uint8Array | null {
    if (this.stateValue !== 'start') return null;
    this.stateValue = 'wait-peer';
    return this.role === 'server' ? this.hello() : null;
  }

  /**
   * The peer's MSG_HELLO version (from the decoder). Both take min(ours, theirs); below the minimum the link
   * is refused, and a client then sends nothing. A second hello, or a server hearing one before it spoke, is
   * out of turn.
   */
  receive(peerVersion: number): ProtocolResult<HandshakeDone> {
    if (this.stateValue === 'start' && this.role === 'client') this.stateValue = 'wait-peer';
    if (this.stateValue !== 'wait-peer') {
      this.stateValue = 'failed';
      return protocolErr('BAD_HELLO', `MSG_HELLO out of turn (${this.role})`, MSG.HELLO);
    }
    const version = Math.min(this.localVersion, peerVersion);
    if (version < this.minVersion) {
      this.stateValue = 'failed';
      return protocolErr('VERSION_TOO_OLD', `peer speaks ${peerVersion}, we need at least ${this.minVersion}`, MSG.HELLO);
    }
    this.stateValue = 'done';
    this.agreed = version;
    return protocolOk({ version, reply: this.role === 'client' ? this.hello() : null });
  }

  /** Where the exchange stands, as plain data (a suspend file keeps it). */
  save(): { state: HandshakeState; agreed: number } {
    return { state: this.stateValue, agreed: this.agreed };
  }

  restore(s: { state: HandshakeState; agreed: number }): void {
    this.stateValue = s.state;
    this.agreed = s.agreed;
  }

  /** Our MSG_HELLO carries our own version, not the agreed one. */
  private hello(): Uint8Array {
    const r = encodeMessage({ type: MSG.HELLO, version: this.localVersion });
    if (!r.ok) throw new RangeError(r.error.detail);
    return r.value;
  }
}
