/** XenStore node permissions: the owner with the others' default first, then per-domain entries ('n', 'r', 'w', 'b'). */

export type XsPermLetter = 'n' | 'r' | 'w' | 'b';
export interface XsPerm { id: number; perm: XsPermLetter }

export const PERM_READ = 1;
export const PERM_WRITE = 2;
export const PERM_OWNER = 4;
const ALL = PERM_READ | PERM_WRITE | PERM_OWNER;

const BITS: Record<XsPermLetter, number> = { n: 0, r: PERM_READ, w: PERM_WRITE, b: PERM_READ | PERM_WRITE };

/** "r5" → { id: 5, perm: 'r' }; undefined when malformed. */
export function parsePerm(s: string): XsPerm | undefined {
  const m = /^([nrwb])(\d{1,5})$/.exec(s);
  if (!m) return undefined;
  const id = Number(m[2]);
  return id <= 0xffff ? { id, perm: m[1] as XsPermLetter } : undefined;
}

export const formatPerm = (p: XsPerm): string => `${p.perm}${p.id}`;

/**
 * xenstored's perm_for_conn: privileged domains and the owner (perms[0].id) get everything; another domain
 * gets its own entry if listed, else the first entry's letter (the default for everyone else).
 */
export function permFor(domid: number, privileged: boolean, perms: readonly XsPerm[]): number {
  if (privileged || perms[0]!.id === domid) return ALL;
  for (let i = 1; i < perms.length; i++) if (perms[i]!.id === domid) return BITS[perms[i]!.perm];
  return BITS[perms[0]!.perm];
}
