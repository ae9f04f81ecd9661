/** XenStore paths: validation, relative paths under /local/domain/<domid>, parents, and the protocol's size limits. */

/** Largest message payload in either direction (xs_wire.h XENSTORE_PAYLOAD_MAX). */
export const XENSTORE_PAYLOAD_MAX = 4096;
/** Longest absolute path (XENSTORE_ABS_PATH_MAX); longer is EINVAL. */
export const XENSTORE_ABS_PATH_MAX = 3072;
/** Longest relative path a client should send, and longest special watch name (XENSTORE_REL_PATH_MAX). */
export const XENSTORE_REL_PATH_MAX = 2048;

const VALID = /^[A-Za-z0-9\-/_@]*$/;

/** A domain's home, the base of its relative paths. */
export const domainPath = (domid: number): string => `/local/domain/${domid}`;

/** The absolute path a domain means (relative paths are under its home; '@' names stay as they are). */
export function canonicalize(domid: number, path: string): string {
  return path.startsWith('/') || path.startsWith('@') ? path : `${domainPath(domid)}/${path}`;
}

/** xenstored's is_valid_nodename. */
export function isValidPath(path: string): boolean {
  if (!path.startsWith('/')) return false;
  if (path.endsWith('/') && path !== '/') return false;
  if (path.includes('//')) return false;
  if (Buffer.byteLength(path) > XENSTORE_ABS_PATH_MAX) return false;
  return VALID.test(path);
}

/** A special watch name (@introduceDomain, @releaseDomain). */
export const isSpecial = (path: string): boolean => path.startsWith('@');

export function parentOf(path: string): string {
  const slash = path.lastIndexOf('/');
  return slash <= 0 ? '/' : path.slice(0, slash);
}

export const baseName = (path: string): string => path.slice(path.lastIndexOf('/') + 1);

export const join = (dir: string, name: string): string => (dir === '/' ? `/${name}` : `${dir}/${name}`);

/** XenStore's "child" relation: equal, or below (everything is below "/"). */
export function isChild(child: string, parent: string): boolean {
  if (parent === '/') return true;
  return child === parent || child.startsWith(`${parent}/`);
}
