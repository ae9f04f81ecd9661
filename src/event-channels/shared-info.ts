/** A domain's shared-info page, 2-level event-channel ABI for a 32-bit guest: per-vCPU upcall bits, pending and mask words. */
import { GuestMemory } from '../vcpu/guest-memory.js';
import { FRAME_SIZE } from '../vcpu/memory-layout.js';

/** Byte offsets in the page (the same as Xen's x86_32 struct shared_info for these fields). */
export const SHARED_INFO = {
  /** vcpu_info[32], 64 bytes each. */
  VCPU_INFO: 0x000,
  VCPU_INFO_SIZE: 64,
  MAX_VCPUS: 32,
  /** In vcpu_info: u8 evtchn_upcall_pending, u8 evtchn_upcall_mask, u32 evtchn_pending_sel at 4. */
  UPCALL_PENDING: 0,
  UPCALL_MASK: 1,
  PENDING_SEL: 4,
  /** u32 evtchn_pending[32]: bit (port % 32) of word (port / 32). */
  EVTCHN_PENDING: 0x800,
  /** u32 evtchn_mask[32]. */
  EVTCHN_MASK: 0x880,
  /** Bits per word of the pending, mask and selector arrays (xen_ulong_t of a 32-bit guest). */
  BITS_PER_WORD: 32,
} as const;

/** Ports the 2-level ABI can address for a 32-bit guest: 32 words × 32 bits. */
export const EVTCHN_2L_NR_CHANNELS = SHARED_INFO.BITS_PER_WORD * SHARED_INFO.BITS_PER_WORD;

/**
 * The bits live in guest memory once the guest has registered the page (a frame of its RAM), and in a
 * host-side shadow page before that; registration copies the page in. Every access uses the memory's own
 * views at RAM offsets (small integers, so nothing is boxed or allocated) and every store goes through
 * GuestMemory.invalidate, which drops compiled code of the frame as a guest store would.
 */
export class SharedInfo {
  private memory: GuestMemory;
  /** RAM offset of the page in `memory`. */
  private off = 0;
  /** Guest-physical address of the registered page, or null while the shadow page holds the bits. */
  gpa: number | null = null;

  constructor() {
    this.memory = new GuestMemory(FRAME_SIZE);
  }

  /** Moves the page to `gpa` in `memory` (a frame of the guest's RAM), carrying the current bits with it. */
  register(memory: GuestMemory, gpa: number): void {
    const page = this.memory.u8.slice(this.off, this.off + FRAME_SIZE);
    memory.write(gpa, page);
    this.attach(memory, gpa);
  }

  /** Attaches an already registered page (after a restore of guest memory that holds it). */
  attach(memory: GuestMemory, gpa: number): void {
    this.memory = memory;
    this.off = memory.offsetOf(gpa, FRAME_SIZE);
    this.gpa = gpa;
  }

  /** Non-zero 32-bit words of the shadow page, as [byte offset, value] (only while unregistered). */
  shadowWords(): [number, number][] {
    const words: [number, number][] = [];
    for (let off = 0; off < FRAME_SIZE; off += 4) {
      const v = this.memory.i32[(this.off + off) >> 2]! >>> 0;
      if (v !== 0) words.push([off, v]);
    }
    return words;
  }

  /** Fills the shadow page from saved words. */
  loadShadow(words: readonly (readonly [number, number])[]): void {
    for (const [off, v] of words) this.memory.i32[(this.off + off) >> 2] = v;
  }

  isPending(port: number): boolean {
    return this.testBit(SHARED_INFO.EVTCHN_PENDING + ((port >>> 5) << 2), port & 31);
  }

  isMasked(port: number): boolean {
    return this.testBit(SHARED_INFO.EVTCHN_MASK + ((port >>> 5) << 2), port & 31);
  }

  /** Sets the pending bit; returns its previous value. */
  testAndSetPending(port: number): boolean {
    return this.testAndSet(SHARED_INFO.EVTCHN_PENDING + ((port >>> 5) << 2), port & 31);
  }

  clearPending(port: number): void {
    this.testAndClear(SHARED_INFO.EVTCHN_PENDING + ((port >>> 5) << 2), port & 31);
  }

  /** Sets the mask bit (as a guest does for itself; the hypercalls never set it). */
  setMask(port: number): void {
    this.testAndSet(SHARED_INFO.EVTCHN_MASK + ((port >>> 5) << 2), port & 31);
  }

  /** Clears the mask bit; returns its previous value. */
  testAndClearMask(port: number): boolean {
    return this.testAndClear(SHARED_INFO.EVTCHN_MASK + ((port >>> 5) << 2), port & 31);
  }

  /** Sets bit `word` of the vCPU's evtchn_pending_sel; returns its previous value. */
  testAndSetSelector(vcpu: number, word: number): boolean {
    return this.testAndSet(vcpu * SHARED_INFO.VCPU_INFO_SIZE + SHARED_INFO.PENDING_SEL, word);
  }

  /** Sets the vCPU's evtchn_upcall_pending; returns its previous value. */
  testAndSetUpcallPending(vcpu: number): boolean {
    const at = this.off + vcpu * SHARED_INFO.VCPU_INFO_SIZE + SHARED_INFO.UPCALL_PENDING;
    if (this.memory.u8[at] !== 0) return true;
    this.memory.u8[at] = 1;
    this.memory.invalidate(at, 1);
    return false;
  }

  upcallPending(vcpu: number): boolean {
    return this.memory.u8[this.off + vcpu * SHARED_INFO.VCPU_INFO_SIZE + SHARED_INFO.UPCALL_PENDING] !== 0;
  }

  upcallMasked(vcpu: number): boolean {
    return this.memory.u8[this.off + vcpu * SHARED_INFO.VCPU_INFO_SIZE + SHARED_INFO.UPCALL_MASK] !== 0;
  }

  pendingSelector(vcpu: number): number {
    return this.memory.i32[(this.off + vcpu * SHARED_INFO.VCPU_INFO_SIZE + SHARED_INFO.PENDING_SEL) >> 2]! >>> 0;
  }

  /** Bit `bit` of the word at page offset `at`. */
  private testBit(at: number, bit: number): boolean {
    return ((this.memory.i32[(this.off + at) >> 2]! >>> bit) & 1) !== 0;
  }

  private testAndSet(at: number, bit: number): boolean {
    const i = (this.off + at) >> 2;
    const w = this.memory.i32[i]!;
    if (((w >>> bit) & 1) !== 0) return true;
    this.memory.i32[i] = w | (1 << bit);
    this.memory.invalidate(this.off + at, 4);
    return false;
  }

  private testAndClear(at: number, bit: number): boolean {
    const i = (this.off + at) >> 2;
    const w = this.memory.i32[i]!;
    if (((w >>> bit) & 1) === 0) return false;
    this.memory.i32[i] = w & ~(1 << bit);
    this.memory.invalidate(this.off + at, 4);
    return true;
  }
}
