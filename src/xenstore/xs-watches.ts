/** XenStore watches: (path, token) per domain; events for changes at or below a watched path, and for special names. */
import { domainPath, isChild, isSpecial } from './xs-path.js';
import type { XsPerm } from './xs-perms.js';

export interface XsWatch {
  domid: number;
  /** Canonical path or special name. */
  path: string;
  token: string;
  /** Registered with a relative path: events carry relative paths too. */
  relative: boolean;
}

/**
 * One change to report (xenstored's fire_watches): `exact` matches only a watch on that very path (each node a
 * recursive rm deletes); otherwise every watch at or above it. Perms of a node that is gone, or that it had
 * before a set_perms, travel with the change for the read check.
 */
export interface XsChange { path: string; exact: boolean; perms?: readonly XsPerm[]; oldPerms?: readonly XsPerm[] }

export type XsWatchEvent = [domid: number, path: string, token: string];

export class XsWatches {
  readonly list: XsWatch[] = [];

  find(domid: number, path: string, token: string): number {
    return this.list.findIndex((w) => w.domid === domid && w.path === path && w.token === token);
  }

  count(domid: number): number {
    return this.list.filter((w) => w.domid === domid).length;
  }

  add(w: XsWatch): void {
    this.list.push(w);
  }

  removeAt(i: number): void {
    this.list.splice(i, 1);
  }

  removeDomain(domid: number): void {
    for (let i = this.list.length - 1; i >= 0; i--) if (this.list[i]!.domid === domid) this.list.splice(i, 1);
  }

  /** The path an event carries for this watch (relative to the domain's home when registered relative). */
  static eventPath(w: XsWatch, path: string): string {
    if (!w.relative) return path;
    const rest = path.slice(domainPath(w.domid).length);
    return rest.startsWith('/') ? rest.slice(1) : rest;
  }

  /**
   * Events for a batch of changes, change by change in watch order, each (watch, path) once; `permitted`
   * says whether the watcher may learn of the change.
   */
  events(changes: readonly XsChange[], permitted: (domid: number, c: XsChange) => boolean): XsWatchEvent[] {
    const out: XsWatchEvent[] = [];
    const sent = new Set<string>();
    for (const c of changes) {
      for (const [i, w] of this.list.entries()) {
        const hit = isSpecial(c.path) || isSpecial(w.path) ? w.path === c.path : c.exact ? w.path === c.path : isChild(c.path, w.path);
        if (!hit || !permitted(w.domid, c)) continue;
        const ev: XsWatchEvent = [w.domid, XsWatches.eventPath(w, c.path), w.token];
        const key = `${i} ${ev[1]}`;
        if (sent.has(key)) continue;
        sent.add(key);
        out.push(ev);
      }
    }
    return out;
  }
}
