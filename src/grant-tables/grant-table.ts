/** One domain's v1 grant table: entries in frames of its own RAM, plus Xen's private active (pinned) entries. */
import type { GuestMemory } from '../vcpu/guest-memory.js';
import { FRAME_SIZE } from '../vcpu/memory-layout.js';
import {
  GRANT_ENTRIES_PER_FRAME, GRANT_ENTRY_DOMID, GRANT_ENTRY_FLAGS, GRANT_ENTRY_FRAME, GRANT_ENTRY_SIZE,
} from './grant-flags.js';

/** Xen's active_grant_entry: who has the entry pinned, the pin counters and the frame resolved at first pin. */
export interface ActiveGrant {
  mapper: number;
  pin: number;
  /** Guest-physical address of the granted frame in the granter's RAM. */
  gpa: number;
}

/** The fields of a shared entry as the model read them from guest memory. */
export interface GrantEntry { flags: number; domid: number; frame: number }

export class GrantTable {
  /** Refs handed to guest code (allocGuestRef): the PV kernel's allocator skips them. */
  readonly guestRefs = new Set<number>();
  /** Guest-physical addresses of the table's frames, in order (frame i holds refs 512·i …). */
  frames: number[] = [];
  readonly active = new Map<number, ActiveGrant>();
  /** The granter has died while frames were still mapped: kept until the last unmap (Xen's zombie). */
  dead = false;

  constructor(
    readonly domid: number,
    /** The granter's RAM (kept even after its death, while mappings exist). */
    readonly memory: GuestMemory | null,
    readonly maxFrames: number,
  ) {}

  get nrEntries(): number {
    return this.frames.length * GRANT_ENTRIES_PER_FRAME;
  }

  /** Is `gpa` a frame of the granter's RAM. */
  isRamFrame(gpa: number): boolean {
    return this.memory !== null && Number.isInteger(gpa) && gpa % FRAME_SIZE === 0 && this.memory.offsetOf(gpa, FRAME_SIZE) >= 0;
  }

  /** Registers (or re-registers) the first frames.length table frames; the table never shrinks. */
  setFrames(frames: readonly number[]): void {
    for (let i = 0; i < frames.length; i++) {
      const old = this.frames[i];
      const gpa = frames[i]!;
      if (old !== undefined && old !== gpa) this.relocate(old, gpa);
      this.frames[i] = gpa;
    }
  }

  /** Carries a frame's entries to its new place (the table is the granter's memory, as Xen's page moving). */
  private relocate(from: number, to: number): void {
    const page = this.memory!.read(from, FRAME_SIZE);
    if (page instanceof Uint8Array) this.memory!.write(to, page);
  }

  private entryAddr(ref: number): number {
    return this.frames[Math.floor(ref / GRANT_ENTRIES_PER_FRAME)]! + (ref % GRANT_ENTRIES_PER_FRAME) * GRANT_ENTRY_SIZE;
  }

  /** Reads entry `ref` (which must be < nrEntries) from the granter's memory. */
  readEntry(ref: number): GrantEntry {
    const a = this.entryAddr(ref);
    const m = this.memory!;
    return { flags: m.load(a + GRANT_ENTRY_FLAGS, 2), domid: m.load(a + GRANT_ENTRY_DOMID, 2), frame: m.load(a + GRANT_ENTRY_FRAME, 4) };
  }

  flags(ref: number): number {
    return this.memory!.load(this.entryAddr(ref) + GRANT_ENTRY_FLAGS, 2);
  }

  /** Writes a whole entry as a guest would: domid and frame first, flags last. */
  writeEntry(ref: number, entry: GrantEntry): void {
    const a = this.entryAddr(ref);
    const m = this.memory!;
    m.store(a + GRANT_ENTRY_DOMID, 2, entry.domid);
    m.store(a + GRANT_ENTRY_FRAME, 4, entry.frame);
    m.store(a + GRANT_ENTRY_FLAGS, 2, entry.flags);
  }

  setFlagBits(ref: number, bits: number): void {
    const a = this.entryAddr(ref) + GRANT_ENTRY_FLAGS;
    this.memory!.store(a, 2, this.memory!.load(a, 2) | bits);
  }

  clearFlagBits(ref: number, bits: number): void {
    const a = this.entryAddr(ref) + GRANT_ENTRY_FLAGS;
    this.memory!.store(a, 2, this.memory!.load(a, 2) & ~bits);
  }
}
