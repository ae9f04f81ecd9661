/** Reading and writing hypercall arguments in the caller's memory (by virtual address): C strings, u32 arrays, fixed structs. */
import type { AddressSpace } from '../../vcpu/address-space.js';
import { PAGE_SIZE } from '../../vcpu/page-table-entry.js';

/** Longest C string a hypercall reads (XenStore's path and value limits are below it). */
export const MAX_STRING = 4096;

const decoder = new TextDecoder('utf-8', { fatal: true });

/** The NUL-terminated string at `addr` (at most `max` bytes before the NUL), or null (fault, too long, bad UTF-8). */
export function readCString(memory: AddressSpace, addr: number, max = MAX_STRING): string | null {
  const parts: Uint8Array[] = [];
  let length = 0;
  // a page at a time: the string may end before a page the caller does not map
  for (let a = addr >>> 0; length <= max; ) {
    const chunk = memory.read(a, Math.min(PAGE_SIZE - (a % PAGE_SIZE), max + 1 - length));
    if (!(chunk instanceof Uint8Array) || chunk.length === 0) return null;
    const nul = chunk.indexOf(0);
    parts.push(nul < 0 ? chunk : chunk.subarray(0, nul));
    length += nul < 0 ? chunk.length : nul;
    if (nul >= 0) return decode(parts, length);
    a += chunk.length;
  }
  return null;
}

function decode(parts: readonly Uint8Array[], length: number): string | null {
  const bytes = new Uint8Array(length);
  let at = 0;
  for (const p of parts) { bytes.set(p, at); at += p.length; }
  try {
    return decoder.decode(bytes);
  } catch {
    return null;
  }
}

/** `length` bytes at `addr` as a string, or null. */
export function readBytes(memory: AddressSpace, addr: number, length: number): Uint8Array | null {
  if (length < 0 || length > MAX_STRING) return null;
  const bytes = memory.read(addr, length);
  return bytes instanceof Uint8Array ? bytes : null;
}

/** `count` u32 values at `addr`, or null when they are not all readable. */
export function readU32s(memory: AddressSpace, addr: number, count: number): number[] | null {
  if (count < 0 || count > 4096) return null;
  const bytes = memory.read(addr, count * 4);
  if (!(bytes instanceof Uint8Array)) return null;
  const view = new DataView(bytes.buffer);
  return Array.from({ length: count }, (_, i) => view.getUint32(i * 4, true));
}

/** Copies `bytes` to the guest buffer [addr, addr+cap): as much as fits; false when the buffer is not writable. */
export function writeBounded(memory: AddressSpace, addr: number, cap: number, bytes: Uint8Array): boolean {
  const n = Math.min(cap, bytes.length);
  if (n === 0) return cap === 0 || memory.canAccess(addr, 1, true);
  return memory.write(addr, bytes.subarray(0, n)) === undefined;
}
