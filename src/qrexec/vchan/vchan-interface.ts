/** libvchan's shared control page (`struct vchan_interface`): byte layout and accessors over guest memory. */
import type { GuestMemory } from '../../vcpu/guest-memory.js';

/** Byte offsets in the control page (offset 0 of the first granted frame), little-endian. */
export const VCHAN_IFACE = {
  /** u32 consumer / producer index of the left ring (client writes, server reads). */
  LEFT_CONS: 0,
  LEFT_PROD: 4,
  /** u32 consumer / producer index of the right ring (server writes, client reads). */
  RIGHT_CONS: 8,
  RIGHT_PROD: 12,
  /** u16 log2 sizes of the rings. */
  LEFT_ORDER: 16,
  RIGHT_ORDER: 18,
  /** u8 liveness of each end (VCHAN_LIVE). */
  CLI_LIVE: 20,
  SRV_LIVE: 21,
  /** u8 notification requests the client (resp. server) must honour. */
  CLI_NOTIFY: 22,
  SRV_NOTIFY: 23,
  /** u32 grant refs of out-of-page ring frames: the left ring's first, then the right ring's. */
  GRANTS: 24,
} as const;

/** "Tell me when you write data" / "tell me when you consume data". */
export const VCHAN_NOTIFY_WRITE = 0x1;
export const VCHAN_NOTIFY_READ = 0x2;

/** Values of cli_live / srv_live. */
export const VCHAN_LIVE = { EXITED: 0, CONNECTED: 1, WAITING: 2 } as const;

/**
 * One end's view of the control page: RAM offset `off` in `memory` (the server's RAM, reached directly by
 * the server and through a grant mapping by the client). Every store goes through GuestMemory.invalidate,
 * as a guest store would; nothing here allocates.
 */
export class VchanInterface {
  constructor(readonly memory: GuestMemory, readonly off: number) {}

  u32(at: number): number {
    return this.memory.i32[(this.off + at) >> 2]! >>> 0;
  }

  setU32(at: number, value: number): void {
    this.memory.i32[(this.off + at) >> 2] = value | 0;
    this.memory.invalidate(this.off + at, 4);
  }

  u16(at: number): number {
    return this.memory.u16[(this.off + at) >> 1]!;
  }

  setU16(at: number, value: number): void {
    this.memory.u16[(this.off + at) >> 1] = value;
    this.memory.invalidate(this.off + at, 2);
  }

  u8(at: number): number {
    return this.memory.u8[this.off + at]!;
  }

  setU8(at: number, value: number): void {
    this.memory.u8[this.off + at] = value;
    this.memory.invalidate(this.off + at, 1);
  }

  /** libvchan's request_notify step: OR `bits` into the byte at `at` (the peer's notify byte). */
  orBits(at: number, bits: number): void {
    const v = this.u8(at);
    if ((v & bits) !== bits) this.setU8(at, v | bits);
  }

  /** libvchan's send_notify step: clear `bits` in the byte at `at` (our own notify byte); returns the old byte. */
  fetchAndClear(at: number, bits: number): number {
    const v = this.u8(at);
    if ((v & bits) !== 0) this.setU8(at, v & ~bits);
    return v;
  }
}
