/**
 * The page-table entry: one Int32 per 4 KiB virtual page of an address space (2^20 of them).
 * Bits 31..12 hold the RAM offset of the frame the page maps (frame number << 12; RAM is below
 * 2 GiB, so bit 31 stays 0), bits 11..0 hold flags. An entry of 0 maps nothing.
 *
 *   bit 0  VALID       the page is mapped (a mapped page may allow nothing, as PROT_NONE)
 *   bit 1  READ        loads may read it
 *   bit 2  WRITE       stores may write it
 *   bit 3  EXEC        instructions may be fetched from it
 *   bit 4  USER        U-mode may touch it (issue 20: user mode)
 *   bit 5  DIRTY       written since the bit was last cleared (issue 20: dirty-frame tracking)
 *   bit 6  COW         shared copy-on-write: the first write copies the frame (issue 20)
 *   bit 7  FAST_STORE  derived, never saved: a store may go straight to RAM — WRITE set, COW clear
 *                      and no compiled code in the frame (the one bit the compiled store path tests)
 *   bits 8..11         reserved, 0
 *
 * Loads on the compiled fast path test READ, stores FAST_STORE, block entries EXEC: one table read
 * per access. Everything else (misaligned, unmapped, a cleared FAST_STORE) takes the slow path.
 */

export const PTE = {
  VALID: 1 << 0,
  READ: 1 << 1,
  WRITE: 1 << 2,
  EXEC: 1 << 3,
  USER: 1 << 4,
  DIRTY: 1 << 5,
  COW: 1 << 6,
  FAST_STORE: 1 << 7,
} as const;

/** Bits 31..12: the RAM offset of the mapped frame. */
export const PTE_FRAME_MASK = -4096;
/** The flags a page table keeps (and a suspend file stores); FAST_STORE is derived from them. */
export const PTE_STORED_FLAGS = PTE.VALID | PTE.READ | PTE.WRITE | PTE.EXEC | PTE.USER | PTE.DIRTY | PTE.COW;

/** Pages of a 32-bit address space. */
export const PAGE_COUNT = 1 << 20;
export const PAGE_SHIFT = 12;
export const PAGE_SIZE = 1 << PAGE_SHIFT;

/**
 * What every mapped page allows until page permissions are enforced (issue 20): read, write and
 * execute, as all of RAM did before address spaces existed. The loader keeps each segment's own
 * flags apart (`protectionOf`) for when they are.
 */
export const PTE_OPEN = PTE.VALID | PTE.READ | PTE.WRITE | PTE.EXEC | PTE.USER;

/** The entry mapping the frame at RAM offset `frameOffset` with `flags` (FAST_STORE added when they allow it). */
export function makeEntry(frameOffset: number, flags: number): number {
  const stored = flags & PTE_STORED_FLAGS;
  const fast = (stored & (PTE.WRITE | PTE.COW)) === PTE.WRITE ? PTE.FAST_STORE : 0;
  return (frameOffset & PTE_FRAME_MASK) | stored | fast;
}

/** The frame number an entry maps. */
export const frameOf = (entry: number): number => (entry >>> PAGE_SHIFT) & 0x7ffff;
