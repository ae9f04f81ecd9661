/**
 * Guest-physical memory of one domain: RAM at 0x8000_0000 in one SharedArrayBuffer, shared by its
 * vCPUs and the same memory from any thread (the frames of shared info, grant tables and vchan rings
 * are RAM frames, so a grant mapping stays a mapping on every thread).
 */
import { CodeCache } from './code-cache.js';
import { ACCESS_FAULT, FRAME_SHIFT, FRAME_SIZE, RAM_BASE, type AccessSize } from './memory-layout.js';
import { NOTHING_OUTSIDE_RAM, type OutsideRamHandler } from './outside-ram-handler.js';

if (new Uint8Array(new Uint32Array([1]).buffer)[0] !== 1) {
  throw new Error('guest memory views need a little-endian host');
}

/** Result of a guest store on the slow path. */
export const StoreResult = { OK: 0, FAULT: 1, CODE_WRITTEN: 2 } as const;
export type StoreResult = (typeof StoreResult)[keyof typeof StoreResult];

/** Error of a host-side access. */
export type MemoryError = { code: 'EFAULT'; addr: number; length: number };

/** Largest RAM a domain may have (the window up to 4 GiB). */
export const MAX_RAM_BYTES = 0x8000_0000 - FRAME_SIZE;

let lastMemoryId = 0;

export class GuestMemory {
  /** Names this memory to a CPU worker, which keeps a replica of it (the same buffer, its own code). */
  readonly id = ++lastMemoryId;
  /** Counts `replaceBacking`s: a replica on another thread takes the new buffer when this moved. */
  backing = 0;
  /** RAM; untouched pages cost no host memory, so this is never filled or copied whole. */
  buffer!: SharedArrayBuffer;
  readonly size: number;
  // the views are replaced only by replaceBacking; nobody may keep them across a suspend
  u8!: Uint8Array;
  i8!: Int8Array;
  u16!: Uint16Array;
  i16!: Int16Array;
  i32!: Int32Array;
  /** Compiled code from this memory, shared by the domain's vCPUs. */
  readonly code: CodeCache;
  /** Slow path for addresses outside RAM. */
  outside: OutsideRamHandler = NOTHING_OUTSIDE_RAM;

  /** `shared`: the buffer and code marks of a memory on another thread, for its replica here. */
  constructor(sizeBytes: number, shared?: { readonly buffer: SharedArrayBuffer; readonly marks: Uint8Array }) {
    if (!Number.isInteger(sizeBytes) || sizeBytes <= 0 || sizeBytes % FRAME_SIZE !== 0 || sizeBytes > MAX_RAM_BYTES) {
      throw new RangeError(`guest RAM size ${sizeBytes} must be a positive multiple of ${FRAME_SIZE} below 2 GiB`);
    }
    this.size = sizeBytes;
    this.setViews(shared?.buffer ?? new SharedArrayBuffer(sizeBytes));
    this.code = new CodeCache(sizeBytes >>> FRAME_SHIFT, shared?.marks);
  }

  private setViews(buffer: SharedArrayBuffer): void {
    this.buffer = buffer;
    this.u8 = new Uint8Array(buffer);
    this.i8 = new Int8Array(buffer);
    this.u16 = new Uint16Array(buffer);
    this.i16 = new Int16Array(buffer);
    this.i32 = new Int32Array(buffer);
  }

  /**
   * Puts `buffer` (of the same size) behind this memory, keeping the object itself: the domain's
   * PD, its shared-info page and peers' grant mappings hold the object, never its views. Compiled
   * code is dropped. Suspend swaps in a sparse buffer with only the frames others still use;
   * resume swaps the restored RAM back in.
   */
  replaceBacking(buffer: SharedArrayBuffer): void {
    if (!(buffer instanceof SharedArrayBuffer)) throw new TypeError('guest RAM must be a SharedArrayBuffer');
    if (buffer.byteLength !== this.size) throw new RangeError(`a backing of ${buffer.byteLength} bytes for ${this.size} bytes of RAM`);
    this.setViews(buffer);
    this.backing++;
    this.code.flush();
  }

  /** A buffer of this RAM's size holding only `frames` (frame numbers); the rest costs no host memory. */
  copyFrames(frames: Iterable<number>): SharedArrayBuffer {
    const out = new Uint8Array(new SharedArrayBuffer(this.size));
    for (const f of frames) {
      const off = f << FRAME_SHIFT;
      if (off >= 0 && off < this.size) out.set(this.u8.subarray(off, off + FRAME_SIZE), off);
    }
    return out.buffer;
  }

  /** A memory of `mib` MiB. */
  static ofMiB(mib: number): GuestMemory {
    return new GuestMemory(mib * 1024 * 1024);
  }

  /** RAM offset of a guest-physical address, or -1 when [addr, addr+length) is not all RAM. */
  offsetOf(addr: number, length = 1): number {
    const off = ((addr >>> 0) - RAM_BASE);
    return off >= 0 && length >= 0 && off + length <= this.size ? off : -1;
  }

  /** Guest load on the slow path (misaligned or outside RAM): zero-extended value or ACCESS_FAULT. */
  load(addr: number, size: AccessSize): number {
    const off = this.offsetOf(addr, size);
    if (off < 0) return this.loadOutside(addr >>> 0, size);
    let v = 0;
    for (let i = size - 1; i >= 0; i--) v = (v << 8) | this.u8[off + i];
    return v >>> 0;
  }

  private loadOutside(addr: number, size: AccessSize): number {
    if (this.offsetOf(addr, 1) >= 0 || this.offsetOf(addr + size - 1, 1) >= 0) return ACCESS_FAULT;
    return this.outside.read(addr, size);
  }

  /** Guest store on the slow path; drops compiled code of the frames written. */
  store(addr: number, size: AccessSize, value: number): StoreResult {
    const off = this.offsetOf(addr, size);
    if (off < 0) return this.storeOutside(addr >>> 0, size, value);
    for (let i = 0; i < size; i++) this.u8[off + i] = value >>> (8 * i);
    return this.invalidate(off, size) ? StoreResult.CODE_WRITTEN : StoreResult.OK;
  }

  private storeOutside(addr: number, size: AccessSize, value: number): StoreResult {
    if (this.offsetOf(addr, 1) >= 0 || this.offsetOf(addr + size - 1, 1) >= 0) return StoreResult.FAULT;
    return this.outside.write(addr, size, value) ? StoreResult.OK : StoreResult.FAULT;
  }

  /** Drops compiled code of the frames in [off, off+length); true when there was some. */
  invalidate(off: number, length: number): boolean {
    const marks = this.code.marks;
    let hit = false;
    const last = (off + Math.max(length, 1) - 1) >>> FRAME_SHIFT;
    for (let f = off >>> FRAME_SHIFT; f <= last; f++) {
      if (marks[f] !== 0) { this.code.invalidateFrame(f); hit = true; }
    }
    return hit;
  }

  /** Host write into RAM (PV kernel, a peer through a grant): invalidates compiled code like a guest store. */
  write(addr: number, bytes: Uint8Array): MemoryError | undefined {
    const off = this.offsetOf(addr, bytes.length);
    if (off < 0) return { code: 'EFAULT', addr: addr >>> 0, length: bytes.length };
    this.u8.set(bytes, off);
    this.invalidate(off, bytes.length);
    return undefined;
  }

  /** Host read of RAM: a copy of [addr, addr+length). */
  read(addr: number, length: number): Uint8Array | MemoryError {
    const off = this.offsetOf(addr, length);
    if (off < 0) return { code: 'EFAULT', addr: addr >>> 0, length };
    return this.u8.slice(off, off + length);
  }

  /** Host write of a 32-bit little-endian word. */
  writeU32(addr: number, value: number): MemoryError | undefined {
    const b = new Uint8Array(4);
    new DataView(b.buffer).setUint32(0, value >>> 0, true);
    return this.write(addr, b);
  }

  /** Host read of a 32-bit little-endian word, or undefined outside RAM. */
  readU32(addr: number): number | undefined {
    const off = this.offsetOf(addr, 4);
    if (off < 0) return undefined;
    return (this.u8[off] | (this.u8[off + 1] << 8) | (this.u8[off + 2] << 16) | (this.u8[off + 3] << 24)) >>> 0;
  }

  /** Host zero-fill of [addr, addr+length) in RAM (never the whole buffer). */
  zero(addr: number, length: number): MemoryError | undefined {
    const off = this.offsetOf(addr, length);
    if (off < 0) return { code: 'EFAULT', addr: addr >>> 0, length };
    this.u8.fill(0, off, off + length);
    this.invalidate(off, length);
    return undefined;
  }
}
