import { XenStore, type XsQuota } from '../../../src/xenstore/xenstore.js';

export interface XsWorld { xs: XenStore; events: string[] }

/** A store with domains 1 and 2 introduced; watch events collected as "d<domid> <path> <token>". */
export function xsWorld(quota: Partial<XsQuota> = {}): XsWorld {
  const events: string[] = [];
  const xs = new XenStore({ onWatchEvent: (d, p, t) => { events.push(`d${d} ${p} ${t}`); }, quota });
  xs.introduceDomain(1);
  xs.introduceDomain(2);
  return { xs, events };
}
