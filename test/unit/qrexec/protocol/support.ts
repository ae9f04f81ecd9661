import type { ChannelKind } from '../../../../src/qrexec/protocol/channel-kind.js';
import { writeHeader } from '../../../../src/qrexec/protocol/msg-header.js';
import { QrexecDecoder, type DecodeEvent } from '../../../../src/qrexec/protocol/qrexec-decoder.js';
import { encodeMessage } from '../../../../src/qrexec/protocol/qrexec-encoder.js';
import type { QrexecMessage } from '../../../../src/qrexec/protocol/qrexec-message.js';

/** Bytes of a string, one byte per char. */
export const latin1 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'latin1'));

/** A header alone (for truncated or oversized messages). */
export function header(type: number, len: number): Uint8Array {
  const b = new Uint8Array(8);
  writeHeader(b, 0, type, len);
  return b;
}

/** Fixed-size C fields laid out by hand (a hostile peer does not go through the encoder). */
export function fields(...parts: readonly (readonly [string | Uint8Array, number])[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, [, size]) => n + size, 0));
  let at = 0;
  for (const [value, size] of parts) {
    out.set((typeof value === 'string' ? latin1(value) : value).subarray(0, size), at);
    at += size;
  }
  return out;
}

export function encode(msg: QrexecMessage, version?: number): Uint8Array {
  const r = encodeMessage(msg, version);
  if (!r.ok) throw new Error(r.error.detail);
  return r.value;
}

/** A decoder past the handshake, at `version`. */
export function decoder(channel: ChannelKind, version = 3): QrexecDecoder {
  return new QrexecDecoder({ channel, hello: false, version });
}

export const messages = (events: readonly DecodeEvent[]): QrexecMessage[] =>
  events.flatMap((e) => (e.kind === 'message' ? [e.msg] : []));

export const codes = (events: readonly DecodeEvent[]): string[] =>
  events.map((e) => (e.kind === 'message' ? 'message' : e.kind === 'refused' ? `refused:${e.refusal.code}` : `error:${e.error.code}`));
