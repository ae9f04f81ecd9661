/** Grant-table bit fields: entry flags (GTF_*), map flags (GNTMAP_*), copy flags (GNTCOPY_*), pin counters, limits. */

/** Flags in a v1 entry (u16). Bits 0–1 are the type; the guest writes readonly, Xen reading/writing. */
export const GTF = {
  invalid: 0,
  permit_access: 1,
  accept_transfer: 2,
  transitive: 3,
  type_mask: 3,
  readonly: 1 << 2,
  reading: 1 << 3,
  writing: 1 << 4,
  PWT: 1 << 5,
  PCD: 1 << 6,
  PAT: 1 << 7,
  sub_page: 1 << 8,
} as const;

/** Flags of a map request. */
export const GNTMAP = {
  device_map: 1 << 0,
  host_map: 1 << 1,
  readonly: 1 << 2,
  application_map: 1 << 3,
  contains_pte: 1 << 4,
} as const;

/** Flags of a copy element: which side names a grant ref (else a frame of the caller). */
export const GNTCOPY = {
  source_gref: 1 << 0,
  dest_gref: 1 << 1,
} as const;

/** Xen's pin: four 8-bit counters in a u32 (host writable, host read-only, device writable, device read-only). */
export const GNTPIN = {
  hstw_inc: 1 << 0,
  hstr_inc: 1 << 8,
  devw_inc: 1 << 16,
  devr_inc: 1 << 24,
  hstw_mask: 0xff << 0,
  hstr_mask: 0xff << 8,
  devw_mask: 0xff << 16,
  devr_mask: 0xff << 24,
  /** A new pin is refused while the top bit of any counter is set. */
  overflow_mask: 0x8080_8080,
} as const;

/** GNTTABOP_* numbers (the hypercall layer maps Cella's hypercall numbers onto these). */
export const GNTTABOP = {
  map_grant_ref: 0,
  unmap_grant_ref: 1,
  setup_table: 2,
  dump_table: 3,
  transfer: 4,
  copy: 5,
  query_size: 6,
  unmap_and_replace: 7,
  set_version: 8,
  get_status_frames: 9,
  get_version: 10,
  swap_grant_ref: 11,
  cache_flush: 12,
} as const;

/** v1 entry: u16 flags at 0, u16 domid at 2, u32 frame at 4; 512 per 4 KiB frame. */
export const GRANT_ENTRY_SIZE = 8;
export const GRANT_ENTRY_FLAGS = 0;
export const GRANT_ENTRY_DOMID = 2;
export const GRANT_ENTRY_FRAME = 4;
export const GRANT_ENTRIES_PER_FRAME = 512;
/** Refs 0–7 are reserved for the toolstack (0 console ring, 1 xenstore ring). */
export const GNTTAB_NR_RESERVED_ENTRIES = 8;
/** Xen's gnttab_max_frames default (libxl's max_grant_frames follows it): 64 frames = 32768 refs. */
export const DEFAULT_MAX_GRANT_FRAMES = 64;
/** Xen's gnttab_max_maptrack_frames default; 256 handles (16-byte entries) per frame. */
export const DEFAULT_MAX_MAPTRACK_FRAMES = 1024;
export const MAPTRACK_PER_FRAME = 256;
