/** Grant-table status codes (Xen's GNTST_*): every map, unmap, copy and setup result is one of these. */

export const GNTST = {
  okay: 0,
  general_error: -1,
  bad_domain: -2,
  bad_gntref: -3,
  bad_handle: -4,
  bad_virt_addr: -5,
  bad_dev_addr: -6,
  no_device_space: -7,
  permission_denied: -8,
  bad_page: -9,
  bad_copy_arg: -10,
  address_too_big: -11,
  eagain: -12,
  no_space: -13,
} as const;

export type GntStatusName = keyof typeof GNTST;
export type GntStatus = (typeof GNTST)[GntStatusName];

const TEXT: Record<GntStatusName, string> = {
  okay: 'okay',
  general_error: 'undefined error',
  bad_domain: 'unrecognised domain id',
  bad_gntref: 'invalid grant reference',
  bad_handle: 'invalid mapping handle',
  bad_virt_addr: 'invalid virtual address',
  bad_dev_addr: 'invalid device address',
  no_device_space: 'no spare translation slot in the I/O MMU',
  permission_denied: 'permission denied',
  bad_page: 'bad page',
  bad_copy_arg: 'copy arguments cross page boundary',
  address_too_big: 'page address size too large',
  eagain: 'operation not done; try again',
  no_space: 'out of space',
};

const NAMES = new Map<number, GntStatusName>((Object.keys(GNTST) as GntStatusName[]).map((n) => [GNTST[n], n]));

/** GNTST_okay → 'okay', …; undefined for a value that is no status. */
export const gntStatusName = (status: number): GntStatusName | undefined => NAMES.get(status);

/** Xen's message for a status. */
export const gntStatusText = (status: number): string => {
  const name = NAMES.get(status);
  return name === undefined ? `unknown status ${status}` : TEXT[name];
};
