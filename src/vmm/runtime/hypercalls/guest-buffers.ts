/** Reading and writing hypercall arguments in guest memory: C strings, u32 arrays, fixed structs. */
import type { GuestMemory } from '../../../vcpu/guest-memory.js';

/** Longest C string a hypercall reads (XenStore's path and value limits are below it). */
export const MAX_STRING = 4096;

const decoder = new TextDecoder('utf-8', { fatal: true });

/** The NUL-terminated string at `addr` (at most `max` bytes before the NUL), or null (fault, too long, bad UTF-8). */
export function readCString(memory: GuestMemory, addr: number, max = MAX_STRING): string | null {
  const off = memory.offsetOf(addr, 1);
  if (off < 0) return null;
  const end = Math.min(memory.size, off + max + 1);
  const nul = memory.u8.subarray(off, end).indexOf(0);
  if (nul < 0) return null;
  try {
    return decoder.decode(memory.u8.subarray(off, off + nul));
  } catch {
    return null;
  }
}

/** `length` bytes at `addr` as a string, or null. */
export function readBytes(memory: GuestMemory, addr: number, length: number): Uint8Array | null {
  if (length < 0 || length > MAX_STRING) return null;
  const bytes = memory.read(addr, length);
  return bytes instanceof Uint8Array ? bytes : null;
}

/** `count` u32 values at `addr`, or null when they are not all in RAM. */
export function readU32s(memory: GuestMemory, addr: number, count: number): number[] | null {
  if (count < 0 || count > 4096 || memory.offsetOf(addr, count * 4) < 0) return null;
  const out: number[] = [];
  for (let i = 0; i < count; i++) out.push(memory.readU32(addr + i * 4)!);
  return out;
}

/** Copies `bytes` to the guest buffer [addr, addr+cap): as much as fits; false when the buffer is not RAM. */
export function writeBounded(memory: GuestMemory, addr: number, cap: number, bytes: Uint8Array): boolean {
  const n = Math.min(cap, bytes.length);
  if (n === 0) return cap === 0 || memory.offsetOf(addr, 1) >= 0;
  return memory.write(addr, bytes.subarray(0, n)) === undefined;
}
