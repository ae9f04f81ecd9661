/** A streaming qrexec decoder: bytes in (as a vchan or socket delivers them), whole checked messages out. */
import { CHANNEL_KINDS, headerProblem, type ChannelKind } from './channel-kind.js';
import { decodePayload, type Refusal } from './decode-payload.js';
import { MSG_HEADER_SIZE, readHeader, type MsgHeader } from './msg-header.js';
import { MSG, msgTypeName } from './msg-type.js';
import { PEER_INFO_SIZE } from './peer-info.js';
import { protocolError, type ProtocolError } from './protocol-error.js';
import { QREXEC_PROTOCOL_VERSION } from './qrexec-constants.js';
import type { QrexecMessage } from './qrexec-message.js';

export type DecodeEvent =
  | { readonly kind: 'message'; readonly msg: QrexecMessage }
  /** A request qrexec-daemon answers with MSG_SERVICE_REFUSED; the link goes on. */
  | { readonly kind: 'refused'; readonly refusal: Refusal }
  /** The link is broken; the decoder takes nothing more. */
  | { readonly kind: 'error'; readonly error: ProtocolError };

/**
 * hello: waiting for the peer's MSG_HELLO; await-version: it came, the handshake decides the version
 * (setVersion) while later bytes wait; messages: decoding; exited: a data link's exit code came; failed.
 */
export type DecoderState = 'hello' | 'await-version' | 'messages' | 'exited' | 'failed';

export interface DecoderSnapshot {
  state: DecoderState;
  version: number;
  header: MsgHeader | null;
  /** base64 */
  pending: string;
}

export interface DecoderOptions {
  channel: ChannelKind;
  /** The link starts with the peer's MSG_HELLO (true for every qrexec link; false to decode mid-stream). */
  hello?: boolean;
  /** The version to decode with when there is no hello phase. */
  version?: number;
}

export class QrexecDecoder {
  readonly channel: ChannelKind;
  private stateValue: DecoderState;
  private versionValue: number;
  private buf = new Uint8Array(4096);
  private head = 0;
  private tail = 0;
  /** A header already checked, waiting for its payload. */
  private header: MsgHeader | null = null;

  constructor(o: DecoderOptions) {
    if (!(o.channel in CHANNEL_KINDS)) throw new RangeError(`unknown channel kind ${String(o.channel)}`);
    this.channel = o.channel;
    this.stateValue = o.hello === false ? 'messages' : 'hello';
    this.versionValue = o.version ?? QREXEC_PROTOCOL_VERSION;
  }

  get state(): DecoderState {
    return this.stateValue;
  }

  get version(): number {
    return this.versionValue;
  }

  /** Bytes held that are not a whole message yet. */
  get buffered(): number {
    return this.tail - this.head + (this.header ? MSG_HEADER_SIZE : 0);
  }

  /** What it holds, as plain data (a suspend file keeps it): the state and the bytes of a message not yet whole. */
  save(): DecoderSnapshot {
    return { state: this.stateValue, version: this.versionValue, header: this.header ? { ...this.header } : null, pending: Buffer.from(this.buf.subarray(this.head, this.tail)).toString('base64') };
  }

  restore(s: DecoderSnapshot): void {
    this.stateValue = s.state;
    this.versionValue = s.version;
    this.header = s.header ? { ...s.header } : null;
    this.head = this.tail = 0;
    this.append(new Uint8Array(Buffer.from(s.pending, 'base64')));
  }

  push(bytes: Uint8Array): DecodeEvent[] {
    if (this.stateValue === 'failed') return [this.fail(protocolError('FAILED', 'the link already failed'))];
    if (bytes.length === 0) return [];
    if (this.stateValue === 'exited') {
      return [this.fail(protocolError('AFTER_EXIT', `${bytes.length} bytes after the exit code`))];
    }
    this.append(bytes);
    return this.run();
  }

  /** The handshake's outcome: decode the rest with `version`. */
  setVersion(version: number): DecodeEvent[] {
    if (this.stateValue !== 'await-version') return [];
    this.versionValue = version;
    this.stateValue = 'messages';
    return this.run();
  }

  /** The stream ended (the vchan closed): a partial message is an error. */
  end(): DecodeEvent[] {
    if ((this.stateValue === 'hello' || this.stateValue === 'messages') && this.buffered > 0) {
      return [this.fail(protocolError('TRUNCATED', `the stream ended with ${this.buffered} bytes of a message`, this.header?.type))];
    }
    return [];
  }

  private run(): DecodeEvent[] {
    const out: DecodeEvent[] = [];
    while (this.stateValue === 'hello' || this.stateValue === 'messages') {
      if (this.header === null) {
        if (this.tail - this.head < MSG_HEADER_SIZE) break;
        const h = readHeader(this.buf, this.head);
        const problem = this.stateValue === 'hello' ? helloProblem(h) : headerProblem(this.channel, this.versionValue, h.type, h.len);
        if (problem) { out.push(this.fail(problem)); break; }
        this.head += MSG_HEADER_SIZE;
        this.header = h;
      }
      if (this.tail - this.head < this.header.len) break;
      const h = this.header;
      const payload = this.buf.slice(this.head, this.head + h.len);
      this.head += h.len;
      this.header = null;
      const r = decodePayload(this.channel, h.type, payload);
      if (r.kind === 'error') { out.push(this.fail(r.error)); break; }
      out.push(r);
      if (this.stateValue === 'hello') this.stateValue = 'await-version';
      else if (h.type === MSG.DATA_EXIT_CODE) this.exited(out);
    }
    this.compact();
    return out;
  }

  /** After the exit code a data link is over: anything already buffered behind it is refused. */
  private exited(out: DecodeEvent[]): void {
    this.stateValue = 'exited';
    const rest = this.tail - this.head;
    if (rest > 0) out.push(this.fail(protocolError('AFTER_EXIT', `${rest} bytes after the exit code`)));
  }

  private fail(error: ProtocolError): DecodeEvent {
    this.stateValue = 'failed';
    this.head = this.tail = 0;
    this.header = null;
    return { kind: 'error', error };
  }

  private append(bytes: Uint8Array): void {
    if (this.tail + bytes.length > this.buf.length) {
      this.compact();
      if (this.tail + bytes.length > this.buf.length) {
        const bigger = new Uint8Array(Math.max(this.buf.length * 2, this.tail + bytes.length));
        bigger.set(this.buf.subarray(0, this.tail));
        this.buf = bigger;
      }
    }
    this.buf.set(bytes, this.tail);
    this.tail += bytes.length;
  }

  private compact(): void {
    if (this.head === 0) return;
    this.buf.copyWithin(0, this.head, this.tail);
    this.tail -= this.head;
    this.head = 0;
  }
}

/** What qrexec requires of the first message: MSG_HELLO with exactly a peer_info. */
function helloProblem(h: MsgHeader): ProtocolError | undefined {
  if (h.type === MSG.HELLO && h.len === PEER_INFO_SIZE) return undefined;
  return protocolError('BAD_HELLO', `expected MSG_HELLO of ${PEER_INFO_SIZE} bytes, got ${msgTypeName(h.type)} of ${h.len}`, h.type);
}
