/**
 * A process's address space: a page table of 4 KiB pages (virtual page → frame of a GuestMemory,
 * with flags, page-table-entry.ts) over the memory the frames belong to. The vCPU translates every
 * fetch, load and store through it (the compiled fast path reads one key per access, below); the
 * PV kernel reads and writes a process's buffers through it by virtual address.
 *
 * An address no page maps goes, when it lies outside the memory's RAM, to the memory's
 * outside-RAM handler at that same address (the grant-mapping window of a domain's kernel), as a
 * guest-physical access did before address spaces; inside RAM it faults.
 *
 * The compiled fast path does not decode entries: it reads a key per page, one table for loads
 * (`loadKey`) and one for stores (`storeKey`), derived from the entries whenever they change. For a
 * page that allows the access on the fast path (READ; FAST_STORE) the key is `vpage ^ frame`
 * (both as byte addresses), so `addr ^ key` is the RAM offset of the byte. For any other page it
 * sends `addr ^ key` outside [0, RAM size), to the slow path: 0 for pages at or above the RAM
 * size (`addr ^ 0` is beyond RAM there), 0x8000_0000 for the pages below it (set when the space is
 * made). So the compiled code tests one value for "allowed, in RAM and aligned", as it tested
 * `addr ^ 0x8000_0000` before address spaces, with one table read more.
 */
import { GuestMemory, StoreResult, type MemoryError } from './guest-memory.js';
import { ACCESS_FAULT, FRAME_SHIFT, RAM_BASE, type AccessSize } from './memory-layout.js';
import { PAGE_COUNT, PAGE_SHIFT, PAGE_SIZE, PTE, PTE_FRAME_MASK, PTE_OPEN, frameOf, makeEntry } from './page-table-entry.js';
import { giveTables, takeTables } from './page-table-pool.js';

const IN_PAGE = PAGE_SIZE - 1;

/** The shared buffers of an address space, from which a replica on another thread is made. */
export interface SharedSpaceTables {
  readonly tables: SharedArrayBuffer;
  readonly frameTables: SharedArrayBuffer;
}
let lastId = 0;
/** The key of a page below the RAM size that the fast path must not take. */
const MISS_LOW = -0x8000_0000;

export class AddressSpace {
  /** Tells the code cache which space a compiled block belongs to (it reads this space's keys). */
  readonly id = ++lastId;
  /** Counts changes of the mappings (a vCPU's jump cache is emptied when it moves). */
  generation = 0;
  /** The three tables below in one shared allocation (12 MiB of address space; only the pages touched cost host memory). */
  private readonly tables: SharedArrayBuffer;
  private disposed = false;
  /** The page table, indexed by virtual page number (page-table-entry.ts). */
  readonly pte: Int32Array;
  /** Fast-path keys of loads and of stores, by virtual page (derived from `pte`, read by compiled blocks). */
  readonly loadKey: Int32Array;
  readonly storeKey: Int32Array;
  /** Pages below this one get MISS_LOW as their key when the fast path must miss (below it `addr ^ 0` would be in RAM). */
  private readonly lowPages: number;
  /** Frame → 1 + a virtual page mapping it (0: none), to find the entries of a frame that gains code. */
  private readonly rmap: Int32Array;
  /** Non-zero for frames mapped by more than one page (their entries are found by a scan). */
  private readonly aliased: Uint8Array;
  private aliasedCount = 0;
  /** The rmap and aliased marks in one shared buffer (a CPU worker's replica of this space uses them too). */
  private readonly frameTables: SharedArrayBuffer;

  /**
   * A space over `memory`; with `shared`, the replica (on a CPU worker) of a space made on another
   * thread: the same tables, which the two threads never change at the same time (the main thread
   * changes mappings while the vCPU is off its CPU; the replica only withdraws fast stores of frames
   * its vCPU compiled).
   */
  constructor(readonly memory: GuestMemory, shared?: SharedSpaceTables) {
    const frames = memory.size >>> FRAME_SHIFT;
    this.tables = shared?.tables ?? takeTables(3 * 4 * PAGE_COUNT);
    this.frameTables = shared?.frameTables ?? new SharedArrayBuffer(frames * 5);
    this.pte = new Int32Array(this.tables, 0, PAGE_COUNT);
    this.loadKey = new Int32Array(this.tables, 4 * PAGE_COUNT, PAGE_COUNT);
    this.storeKey = new Int32Array(this.tables, 8 * PAGE_COUNT, PAGE_COUNT);
    this.rmap = new Int32Array(this.frameTables, 0, frames);
    this.aliased = new Uint8Array(this.frameTables, frames * 4, frames);
    this.lowPages = memory.size >>> PAGE_SHIFT;
    if (!shared) {
      this.loadKey.fill(MISS_LOW, 0, this.lowPages);
      this.storeKey.fill(MISS_LOW, 0, this.lowPages);
    }
    memory.code.onCode.push((frame) => this.withdrawFastStore(frame));
  }

  /** What a replica of this space on another thread is made from (`new AddressSpace(replicaMemory, shared)`). */
  sharedTables(): SharedSpaceTables {
    return { tables: this.tables, frameTables: this.frameTables };
  }

  /**
   * The space is gone for good (its process ended, its vCPU with it): every entry goes back to 0
   * and the tables to the pool. Nothing may use the space, or a vCPU of it, afterwards.
   */
  dispose(): void {
    if (this.disposed) return;
    this.disposed = true;
    if (this.aliasedCount > 0) new Int32Array(this.tables).fill(0);
    else for (let f = 0; f < this.rmap.length; f++) if (this.rmap[f] !== 0) this.unmap(this.rmap[f] - 1);
    this.loadKey.fill(0, 0, this.lowPages);
    this.storeKey.fill(0, 0, this.lowPages);
    giveTables(this.tables);
  }

  /** Sets the entry of `vpn` and the fast-path keys it implies. */
  private setEntry(vpn: number, entry: number): void {
    this.pte[vpn] = entry;
    const hit = ((vpn ^ frameOf(entry)) << PAGE_SHIFT) | 0;
    const miss = vpn < this.lowPages ? MISS_LOW : 0;
    this.loadKey[vpn] = (entry & PTE.READ) !== 0 ? hit : miss;
    this.storeKey[vpn] = (entry & PTE.FAST_STORE) !== 0 ? hit : miss;
  }

  /** Every frame of `memory` mapped at its own guest-physical address, open (what a vCPU saw before address spaces). */
  static identity(memory: GuestMemory): AddressSpace {
    const space = new AddressSpace(memory);
    const first = RAM_BASE >>> PAGE_SHIFT;
    for (let f = 0; f < memory.size >>> FRAME_SHIFT; f++) space.map(first + f, f, PTE_OPEN);
    return space;
  }

  /** Maps virtual page `vpn` to frame `frame` of the memory with `flags` (PTE bits), replacing what it mapped. */
  map(vpn: number, frame: number, flags: number): void {
    this.unmap(vpn);
    this.generation++;
    const entry = makeEntry(frame << FRAME_SHIFT, flags | PTE.VALID);
    this.setEntry(vpn, this.memory.code.marks[frame] === 0 ? entry : entry & ~PTE.FAST_STORE);
    const r = this.rmap[frame];
    if (r === 0) this.rmap[frame] = vpn + 1;
    else if (r !== vpn + 1 && this.aliased[frame] === 0) {
      this.aliased[frame] = 1;
      this.aliasedCount++;
    }
  }

  unmap(vpn: number): void {
    const e = this.pte[vpn];
    if (e === 0) return;
    this.generation++;
    this.setEntry(vpn, 0);
    const f = frameOf(e);
    if (this.rmap[f] === vpn + 1) this.rmap[f] = 0;
  }

  /** Compiled code now lives in `frame`: stores to it must take the slow path, which drops the code. */
  private withdrawFastStore(frame: number): void {
    // a disposed space's tables may be another space's now (the memory outlived its process)
    if (this.disposed) return;
    const r = this.rmap[frame];
    if (r !== 0) this.setEntry(r - 1, this.pte[r - 1] & ~PTE.FAST_STORE);
    if (this.aliased[frame] === 0) return;
    for (let vpn = 0; vpn < PAGE_COUNT; vpn++) {
      const e = this.pte[vpn];
      if (e !== 0 && frameOf(e) === frame) this.setEntry(vpn, e & ~PTE.FAST_STORE);
    }
  }

  /** RAM offset of the byte at `va` when its page allows `need` (PTE bits, at least one), else -1. */
  offsetOf(va: number, need: number): number {
    const e = this.pte[va >>> PAGE_SHIFT];
    return (e & need) === need ? (e & PTE_FRAME_MASK) | (va & IN_PAGE) : -1;
  }

  /** The guest-physical address `va` maps to (for hypercalls that name frames of the domain's RAM), or undefined. */
  physicalAddress(va: number): number | undefined {
    const off = this.offsetOf(va >>> 0, PTE.VALID);
    return off < 0 ? undefined : (RAM_BASE + off) >>> 0;
  }

  // ---- the vCPU's slow paths ----

  /** Guest load: the zero-extended value, or ACCESS_FAULT. */
  load(va: number, size: AccessSize): number {
    const a = va >>> 0;
    const e = this.pte[a >>> PAGE_SHIFT];
    const u8 = this.memory.u8;
    if ((e & PTE.READ) !== 0 && (a & IN_PAGE) + size <= PAGE_SIZE) {
      const o = (e & PTE_FRAME_MASK) | (a & IN_PAGE);
      return size === 1 ? u8[o] : size === 2 ? u8[o] | (u8[o + 1] << 8) : (u8[o] | (u8[o + 1] << 8) | (u8[o + 2] << 16) | (u8[o + 3] << 24)) >>> 0;
    }
    if (!this.allows(a, size, PTE.READ)) return this.unmapped(a, size) ? this.memory.outside.read(a, size) : ACCESS_FAULT;
    let v = 0;
    for (let i = size - 1; i >= 0; i--) v = (v << 8) | u8[this.offsetOf((a + i) >>> 0, PTE.READ)];
    return v >>> 0;
  }

  /** Guest store; drops compiled code of the frames written (CODE_WRITTEN when there was some). */
  store(va: number, size: AccessSize, value: number): StoreResult {
    const a = va >>> 0;
    if (!this.allows(a, size, PTE.WRITE)) {
      if (!this.unmapped(a, size)) return StoreResult.FAULT;
      return this.memory.outside.write(a, size, value) ? StoreResult.OK : StoreResult.FAULT;
    }
    const u8 = this.memory.u8;
    for (let i = 0; i < size; i++) u8[this.offsetOf((a + i) >>> 0, PTE.WRITE)] = value >>> (8 * i);
    let hit = this.written(a);
    if ((a & IN_PAGE) + size > PAGE_SIZE && this.written((a + size - 1) >>> 0)) hit = true;
    return hit ? StoreResult.CODE_WRITTEN : StoreResult.OK;
  }

  /**
   * After a slow store to the page of `va`: drops the compiled code of its frame (true when there
   * was some); the frame holds no code now, so stores to the page may go fast again.
   */
  private written(va: number): boolean {
    const vpn = va >>> PAGE_SHIFT;
    const e = this.pte[vpn];
    const hit = this.memory.invalidate(e & PTE_FRAME_MASK, 1);
    if ((e & (PTE.WRITE | PTE.COW | PTE.FAST_STORE)) === PTE.WRITE && this.memory.code.marks[frameOf(e)] === 0) {
      this.setEntry(vpn, e | PTE.FAST_STORE);
    }
    return hit;
  }

  /** True when every page of [a, a+size) (at most two) allows `need`. */
  private allows(a: number, size: number, need: number): boolean {
    const first = this.pte[a >>> PAGE_SHIFT];
    if ((first & need) !== need) return false;
    if ((a & IN_PAGE) + size <= PAGE_SIZE) return true;
    const second = this.pte[((a >>> PAGE_SHIFT) + 1) & (PAGE_COUNT - 1)];
    return (second & need) === need;
  }

  /** True when no page maps [a, a+size) and it lies outside RAM: the outside-RAM handler serves it. */
  private unmapped(a: number, size: number): boolean {
    const last = (a + size - 1) >>> 0;
    return this.pte[a >>> PAGE_SHIFT] === 0 && this.pte[last >>> PAGE_SHIFT] === 0
      && this.memory.offsetOf(a, 1) < 0 && this.memory.offsetOf(last, 1) < 0;
  }

  // ---- host access by virtual address (the PV kernel on a process's buffers) ----

  /** The RAM pieces (offset, length pairs) of [va, va+length) when every page allows `need`, else undefined. */
  private pieces(va: number, length: number, need: number): number[] | undefined {
    const a0 = va >>> 0;
    if (!Number.isInteger(length) || length < 0 || a0 + length > 0x1_0000_0000) return undefined;
    const out: number[] = [];
    for (let a = a0, left = length; left > 0;) {
      const off = this.offsetOf(a, need);
      if (off < 0) return undefined;
      const n = Math.min(left, PAGE_SIZE - (a & IN_PAGE));
      out.push(off, n);
      a += n;
      left -= n;
    }
    return out;
  }

  private fault(va: number, length: number): MemoryError {
    return { code: 'EFAULT', addr: va >>> 0, length };
  }

  /** True when [va, va+length) is mapped readable (writable with `write`). */
  canAccess(va: number, length: number, write = false): boolean {
    return this.pieces(va, length, write ? PTE.WRITE : PTE.READ) !== undefined;
  }

  /** A copy of [va, va+length). */
  read(va: number, length: number): Uint8Array | MemoryError {
    const p = this.pieces(va, length, PTE.READ);
    if (p === undefined) return this.fault(va, length);
    const out = new Uint8Array(length);
    for (let i = 0, at = 0; i < p.length; i += 2) {
      out.set(this.memory.u8.subarray(p[i], p[i] + p[i + 1]), at);
      at += p[i + 1];
    }
    return out;
  }

  /** Writes `bytes` at `va` (all or nothing), dropping compiled code like a guest store. */
  write(va: number, bytes: Uint8Array): MemoryError | undefined {
    const p = this.pieces(va, bytes.length, PTE.WRITE);
    if (p === undefined) return this.fault(va, bytes.length);
    for (let i = 0, at = 0; i < p.length; i += 2) {
      this.memory.write(RAM_BASE + p[i], bytes.subarray(at, at + p[i + 1]));
      at += p[i + 1];
    }
    return undefined;
  }

  /** Zero-fills [va, va+length) (all or nothing). */
  zero(va: number, length: number): MemoryError | undefined {
    const p = this.pieces(va, length, PTE.WRITE);
    if (p === undefined) return this.fault(va, length);
    for (let i = 0; i < p.length; i += 2) this.memory.zero(RAM_BASE + p[i], p[i + 1]);
    return undefined;
  }

  /** The 32-bit little-endian word at `va`, or undefined when it is not readable. */
  readU32(va: number): number | undefined {
    const b = this.read(va, 4);
    return b instanceof Uint8Array ? (b[0] | (b[1] << 8) | (b[2] << 16) | (b[3] << 24)) >>> 0 : undefined;
  }

  writeU32(va: number, value: number): MemoryError | undefined {
    const v = value >>> 0;
    return this.write(va, Uint8Array.of(v, v >>> 8, v >>> 16, v >>> 24));
  }
}
