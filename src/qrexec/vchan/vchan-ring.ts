/** One libvchan ring (one direction): its bytes in the server's RAM, copied in and out with the wrap handled. */
import type { GuestMemory } from '../../vcpu/guest-memory.js';
import { FRAME_SHIFT, FRAME_SIZE } from '../../vcpu/memory-layout.js';

/** Copies up to this length are a byte loop (no view object); longer ones are one set() over a subarray view. */
const LOOP_COPY_MAX = 32;

function copyBytes(dst: Uint8Array, dstOff: number, src: Uint8Array, srcOff: number, n: number): void {
  if (n <= LOOP_COPY_MAX) {
    for (let i = 0; i < n; i++) dst[dstOff + i] = src[srcOff + i]!;
    return;
  }
  dst.set(src.subarray(srcOff, srcOff + n), dstOff);
}

/**
 * A ring of 2^order bytes. `pageOffs` are the RAM offsets (in `memory`) of its 4 KiB pieces, in ring
 * order; an in-page ring (order 10 or 11) is one piece smaller than a frame. When the pieces are
 * consecutive in RAM (as a server lays them out) a copy is at most two copies, split at the wrap;
 * otherwise (a client mapping a server's scattered frames) one copy per piece.
 */
export class VchanRing {
  readonly size: number;
  readonly mask: number;
  /** RAM offset of byte 0 when the ring is consecutive in RAM, else -1. */
  readonly base: number;

  constructor(readonly memory: GuestMemory, readonly order: number, readonly pageOffs: Int32Array) {
    this.size = 2 ** order;
    this.mask = this.size - 1;
    let consecutive = true;
    for (let i = 1; i < pageOffs.length; i++) if (pageOffs[i] !== pageOffs[0]! + i * FRAME_SIZE) consecutive = false;
    this.base = consecutive ? pageOffs[0]! : -1;
  }

  /** Copies `n` ring bytes from index position `pos` (already masked) into dst[dstOff…]. */
  copyOut(pos: number, dst: Uint8Array, dstOff: number, n: number): void {
    const u8 = this.memory.u8;
    if (this.base >= 0) {
      const first = Math.min(n, this.size - pos);
      copyBytes(dst, dstOff, u8, this.base + pos, first);
      if (n > first) copyBytes(dst, dstOff + first, u8, this.base, n - first);
      return;
    }
    let done = 0;
    while (done < n) {
      const inPage = pos & (FRAME_SIZE - 1);
      const chunk = Math.min(n - done, FRAME_SIZE - inPage);
      copyBytes(dst, dstOff + done, u8, this.pageOffs[pos >>> FRAME_SHIFT]! + inPage, chunk);
      done += chunk;
      pos = (pos + chunk) & this.mask;
    }
  }

  /** Copies src[srcOff…srcOff+n) into the ring from position `pos` (already masked); drops compiled code there. */
  copyIn(pos: number, src: Uint8Array, srcOff: number, n: number): void {
    const m = this.memory;
    if (this.base >= 0) {
      const first = Math.min(n, this.size - pos);
      copyBytes(m.u8, this.base + pos, src, srcOff, first);
      m.invalidate(this.base + pos, first);
      if (n > first) {
        copyBytes(m.u8, this.base, src, srcOff + first, n - first);
        m.invalidate(this.base, n - first);
      }
      return;
    }
    let done = 0;
    while (done < n) {
      const inPage = pos & (FRAME_SIZE - 1);
      const chunk = Math.min(n - done, FRAME_SIZE - inPage);
      const at = this.pageOffs[pos >>> FRAME_SHIFT]! + inPage;
      copyBytes(m.u8, at, src, srcOff + done, chunk);
      m.invalidate(at, chunk);
      done += chunk;
      pos = (pos + chunk) & this.mask;
    }
  }
}
