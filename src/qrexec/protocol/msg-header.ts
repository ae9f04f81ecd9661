/** struct msg_header { u32 type; u32 len; }: 8 bytes, little-endian, before every qrexec message. */

export const MSG_HEADER_SIZE = 8;

export interface MsgHeader { readonly type: number; readonly len: number }

export const readU32 = (b: Uint8Array, at: number): number =>
  (b[at]! | (b[at + 1]! << 8) | (b[at + 2]! << 16) | (b[at + 3]! << 24)) >>> 0;

export function writeU32(b: Uint8Array, at: number, value: number): void {
  b[at] = value & 0xff;
  b[at + 1] = (value >>> 8) & 0xff;
  b[at + 2] = (value >>> 16) & 0xff;
  b[at + 3] = (value >>> 24) & 0xff;
}

export const readHeader = (b: Uint8Array, at: number): MsgHeader => ({ type: readU32(b, at), len: readU32(b, at + 4) });

export function writeHeader(b: Uint8Array, at: number, type: number, len: number): void {
  writeU32(b, at, type);
  writeU32(b, at + 4, len);
}
