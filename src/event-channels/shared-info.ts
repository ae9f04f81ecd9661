/** A domain's shared-info page, 2-level event-channel ABI for a 32-bit guest: per-vCPU upcall bits, pending and mask words. */
import { GuestMemory } from '../vcpu/guest-memory.js';
import { FRAME_SIZE, RAM_BASE } from '../vcpu/memory-layout.js';

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
 * host-side shadow page before that; registration copies the page in. Every access goes through
 * GuestMemory.load/store (no allocation; stores drop compiled code of the frame).
 */
export class SharedInfo {
  private memory: GuestMemory;
  private base: number;
  /** Guest-physical address of the registered page, or null while the shadow page holds the bits. */
  gpa: number | null = null;

  constructor() {
    this.memory = new GuestMemory(FRAME_SIZE);
    this.base = RAM_BASE;
  }

  /** Moves the page to `gpa` in `memory` (a frame of the guest's RAM), carrying the current bits with it. */
  register(memory: GuestMemory, gpa: number): void {
    const page = this.memory.read(this.base, FRAME_SIZE);
    if (!(page instanceof Uint8Array)) throw new Error('shared-info page unreadable');
    memory.write(gpa, page);
    this.memory = memory;
    this.base = gpa;
    this.gpa = gpa;
  }

  /** Attaches an already registered page (after a restore of guest memory that holds it). */
  attach(memory: GuestMemory, gpa: number): void {
    this.memory = memory;
    this.base = gpa;
    this.gpa = gpa;
  }

  /** Non-zero 32-bit words of the shadow page, as [byte offset, value] (only while unregistered). */
  shadowWords(): [number, number][] {
    const words: [number, number][] = [];
    for (let off = 0; off < FRAME_SIZE; off += 4) {
      const v = this.memory.load(this.base + off, 4);
      if (v !== 0) words.push([off, v]);
    }
    return words;
  }

  /** Fills the shadow page from saved words. */
  loadShadow(words: readonly (readonly [number, number])[]): void {
    for (const [off, v] of words) this.memory.store(this.base + off, 4, v);
  }

  isPending(port: number): boolean {
    return this.testBit(this.base + SHARED_INFO.EVTCHN_PENDING + ((port >>> 5) << 2), port & 31);
  }

  isMasked(port: number): boolean {
    return this.testBit(this.base + SHARED_INFO.EVTCHN_MASK + ((port >>> 5) << 2), port & 31);
  }

  /** Sets the pending bit; returns its previous value. */
  testAndSetPending(port: number): boolean {
    return this.testAndSet(this.base + SHARED_INFO.EVTCHN_PENDING + ((port >>> 5) << 2), port & 31);
  }

  clearPending(port: number): void {
    this.testAndClear(this.base + SHARED_INFO.EVTCHN_PENDING + ((port >>> 5) << 2), port & 31);
  }

  /** Sets the mask bit (as a guest does for itself; the hypercalls never set it). */
  setMask(port: number): void {
    this.testAndSet(this.base + SHARED_INFO.EVTCHN_MASK + ((port >>> 5) << 2), port & 31);
  }

  /** Clears the mask bit; returns its previous value. */
  testAndClearMask(port: number): boolean {
    return this.testAndClear(this.base + SHARED_INFO.EVTCHN_MASK + ((port >>> 5) << 2), port & 31);
  }

  /** Sets bit `word` of the vCPU's evtchn_pending_sel; returns its previous value. */
  testAndSetSelector(vcpu: number, word: number): boolean {
    return this.testAndSet(this.vcpuInfo(vcpu) + SHARED_INFO.PENDING_SEL, word);
  }

  /** Sets the vCPU's evtchn_upcall_pending; returns its previous value. */
  testAndSetUpcallPending(vcpu: number): boolean {
    const addr = this.vcpuInfo(vcpu) + SHARED_INFO.UPCALL_PENDING;
    const was = this.memory.load(addr, 1) !== 0;
    if (!was) this.memory.store(addr, 1, 1);
    return was;
  }

  upcallPending(vcpu: number): boolean {
    return this.memory.load(this.vcpuInfo(vcpu) + SHARED_INFO.UPCALL_PENDING, 1) !== 0;
  }

  upcallMasked(vcpu: number): boolean {
    return this.memory.load(this.vcpuInfo(vcpu) + SHARED_INFO.UPCALL_MASK, 1) !== 0;
  }

  pendingSelector(vcpu: number): number {
    return this.memory.load(this.vcpuInfo(vcpu) + SHARED_INFO.PENDING_SEL, 4);
  }

  private vcpuInfo(vcpu: number): number {
    return this.base + SHARED_INFO.VCPU_INFO + vcpu * SHARED_INFO.VCPU_INFO_SIZE;
  }

  private testBit(addr: number, bit: number): boolean {
    return ((this.memory.load(addr, 4) >>> bit) & 1) !== 0;
  }

  private testAndSet(addr: number, bit: number): boolean {
    const w = this.memory.load(addr, 4);
    if (((w >>> bit) & 1) !== 0) return true;
    this.memory.store(addr, 4, (w | (1 << bit)) >>> 0);
    return false;
  }

  private testAndClear(addr: number, bit: number): boolean {
    const w = this.memory.load(addr, 4);
    if (((w >>> bit) & 1) === 0) return false;
    this.memory.store(addr, 4, (w & ~(1 << bit)) >>> 0);
    return true;
  }
}
