/** A window outside RAM where another domain's 4 KiB frames are mapped (grant mappings), some read-only. */
import type { GuestMemory } from './guest-memory.js';
import { StoreResult } from './guest-memory.js';
import { ACCESS_FAULT, FRAME_SHIFT, FRAME_SIZE, RAM_BASE, type AccessSize } from './memory-layout.js';
import type { OutsideRamHandler } from './outside-ram-handler.js';

interface Mapping { readonly peer: GuestMemory; readonly peerAddr: number; readonly writable: boolean }

export type MapError = { code: 'EINVAL' | 'EBUSY'; message: string };

/**
 * Serves accesses to mapped frames from the peer's memory itself (no copy); writes go through the
 * peer's store path, so its compiled code for that frame is dropped. Unmapped or read-only writes fault.
 */
export class ForeignFrameWindow implements OutsideRamHandler {
  private readonly frames = new Map<number, Mapping>();
  /** Counts changes of the mappings (a CPU worker's replica of the window is rebuilt when it moved). */
  generation = 0;

  /** The mappings: window address, the peer memory and its frame address, writable. */
  mappings(): { addr: number; peer: GuestMemory; peerAddr: number; writable: boolean }[] {
    return [...this.frames].map(([frame, m]) => ({ addr: (frame << FRAME_SHIFT) >>> 0, peer: m.peer, peerAddr: m.peerAddr, writable: m.writable }));
  }

  /** Maps the peer frame at `peerFrameAddr` (in its RAM) at guest-physical `addr` (outside RAM). */
  map(addr: number, peer: GuestMemory, peerFrameAddr: number, writable: boolean): MapError | undefined {
    const a = addr >>> 0, p = peerFrameAddr >>> 0;
    if (a % FRAME_SIZE !== 0 || p % FRAME_SIZE !== 0 || peer.offsetOf(p, FRAME_SIZE) < 0 || a >= RAM_BASE) {
      return { code: 'EINVAL', message: 'frame addresses must be aligned, in the peer\'s RAM, and the window below RAM' };
    }
    if (this.frames.has(a >>> FRAME_SHIFT)) return { code: 'EBUSY', message: `0x${a.toString(16)} is already mapped` };
    this.frames.set(a >>> FRAME_SHIFT, { peer, peerAddr: p, writable });
    this.generation++;
    return undefined;
  }

  /** Removes the mapping at `addr`; true when there was one. */
  unmap(addr: number): boolean {
    const gone = this.frames.delete((addr >>> 0) >>> FRAME_SHIFT);
    if (gone) this.generation++;
    return gone;
  }

  private resolve(addr: number, size: AccessSize): { m: Mapping; at: number } | undefined {
    const frame = addr >>> FRAME_SHIFT;
    const m = this.frames.get(frame);
    if (m === undefined || (addr + size - 1) >>> FRAME_SHIFT !== frame) return undefined;
    return { m, at: m.peerAddr + (addr & (FRAME_SIZE - 1)) };
  }

  read(addr: number, size: AccessSize): number {
    const r = this.resolve(addr, size);
    return r === undefined ? ACCESS_FAULT : r.m.peer.load(r.at, size);
  }

  write(addr: number, size: AccessSize, value: number): boolean {
    const r = this.resolve(addr, size);
    if (r === undefined || !r.m.writable) return false;
    return r.m.peer.store(r.at, size, value) !== StoreResult.FAULT;
  }
}
