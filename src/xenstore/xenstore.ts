/** A XenStore in dom0: a tree of paths with per-node permissions, watches, transactions and xenstored's quotas. */
import { done, err, ok, type XsErrno, type XsResult } from './xs-errors.js';
import {
  XENSTORE_PAYLOAD_MAX, XENSTORE_REL_PATH_MAX, baseName, canonicalize, domainPath, isSpecial, isValidPath, join, parentOf,
} from './xs-path.js';
import { PERM_OWNER, PERM_READ, PERM_WRITE, formatPerm, parsePerm, permFor, type XsPerm } from './xs-perms.js';
import { TxView, XsTree, type NodeView, type XsNode } from './xs-tree.js';
import { XsWatches, type XsChange, type XsWatchEvent } from './xs-watches.js';
import { restoreXenStore, saveXenStore, type XenStoreState } from './xenstore.persist.js';

/** xenstored's per-domain quotas (for unprivileged domains), with its defaults. */
export interface XsQuota {
  /** Nodes a domain may own (quota_nb_entry_per_domain). */
  entriesPerDomain: number;
  /** A node's record: 24 + 8 per permission + value + child names with their NULs must stay below this. */
  entrySize: number;
  watchesPerDomain: number;
  transactionsPerDomain: number;
  permsPerNode: number;
}

export const DEFAULT_XS_QUOTA: XsQuota = {
  entriesPerDomain: 1000, entrySize: 2048, watchesPerDomain: 128, transactionsPerDomain: 10, permsPerNode: 5,
};

export interface XenStoreOptions {
  /** Domains with dom0's rights (default: domid 0). */
  isPrivileged?: (domid: number) => boolean;
  /** Delivers a WATCH_EVENT to a domain. */
  onWatchEvent?: (domid: number, path: string, token: string) => void;
  quota?: Partial<XsQuota>;
}

export interface XsTransaction { id: number; domid: number; view: TxView; changes: XsChange[] }

/** An operation's context: where it reads and writes, and where its changes go. */
interface Ctx { domid: number; privileged: boolean; view: NodeView; changes: XsChange[] }

const SPECIAL_NAMES = ['@introduceDomain', '@releaseDomain'];
const DOM0_ONLY: readonly XsPerm[] = [{ id: 0, perm: 'n' }];

export class XenStore {
  readonly tree = new XsTree();
  readonly watches = new XsWatches();
  readonly transactions = new Map<number, XsTransaction>();
  readonly specialPerms = new Map<string, readonly XsPerm[]>(SPECIAL_NAMES.map((n) => [n, DOM0_ONLY]));
  nextTransaction = 1;
  readonly quota: XsQuota;
  private readonly isPrivileged: (domid: number) => boolean;
  private readonly onWatchEvent: (domid: number, path: string, token: string) => void;

  constructor(options: XenStoreOptions = {}) {
    this.quota = { ...DEFAULT_XS_QUOTA, ...options.quota };
    this.isPrivileged = options.isPrivileged ?? ((d) => d === 0);
    this.onWatchEvent = options.onWatchEvent ?? (() => undefined);
    this.tree.put('/', { value: '', perms: DOM0_ONLY, children: [] });
    this.mkdir(0, '/local/domain');
  }

  // ---- READ, WRITE, MKDIR, RM, DIRECTORY ----

  read(domid: number, path: string, tx = 0): XsResult<string> {
    return this.run(domid, tx, (c) => {
      const r = this.getNode(c, path, PERM_READ);
      return r.ok ? ok(r.value.node.value) : r;
    });
  }

  write(domid: number, path: string, value: string, tx = 0): XsResult {
    if (Buffer.byteLength(path) + 1 + Buffer.byteLength(value) > XENSTORE_PAYLOAD_MAX) return err('E2BIG');
    return this.run(domid, tx, (c) => {
      const r = this.getNode(c, path, PERM_WRITE);
      if (!r.ok && r.error !== 'ENOENT') return r;
      const name = canonicalize(domid, path);
      const res = r.ok ? this.putNode(c, name, { ...r.value.node, value }) : this.create(c, name, value);
      if (res.ok) c.changes.push({ path: name, exact: false });
      return res;
    });
  }

  mkdir(domid: number, path: string, tx = 0): XsResult {
    return this.run(domid, tx, (c) => {
      const r = this.getNode(c, path, PERM_WRITE);
      if (r.ok || r.error !== 'ENOENT') return r.ok ? done : r;
      const name = canonicalize(domid, path);
      const res = this.create(c, name, '');
      if (res.ok) c.changes.push({ path: name, exact: false });
      return res;
    });
  }

  /** Removes a node and everything below it; a missing node is fine if its parent exists. */
  rm(domid: number, path: string, tx = 0): XsResult {
    return this.run(domid, tx, (c) => {
      const r = this.getNode(c, path, PERM_WRITE);
      const name = canonicalize(domid, path);
      if (!r.ok) return r.error === 'ENOENT' && c.view.get(parentOf(name)) ? done : r;
      if (name === '/') return err('EINVAL');
      c.changes.push({ path: name, exact: false, perms: r.value.node.perms });
      this.deleteTree(c, name, r.value.node);
      const parent = c.view.get(parentOf(name))!;
      c.view.put(parentOf(name), { ...parent, children: parent.children.filter((n) => n !== baseName(name)) });
      return done;
    });
  }

  directory(domid: number, path: string, tx = 0): XsResult<string[]> {
    return this.run(domid, tx, (c) => {
      const r = this.getNode(c, path, PERM_READ);
      if (!r.ok) return r;
      const children = [...r.value.node.children];
      const size = children.reduce((n, ch) => n + Buffer.byteLength(ch) + 1, 0);
      return size > XENSTORE_PAYLOAD_MAX ? err('E2BIG') : ok(children);
    });
  }

  // ---- GET_PERMS, SET_PERMS ----

  getPerms(domid: number, path: string, tx = 0): XsResult<string[]> {
    return this.run(domid, tx, (c) => {
      const r = this.getNode(c, path, PERM_READ);
      return r.ok ? ok(r.value.node.perms.map(formatPerm)) : r;
    });
  }

  /** Sets a node's permissions ("n0", "r5", …: owner and default first); only its owner or dom0 may. */
  setPerms(domid: number, path: string, perms: readonly string[], tx = 0): XsResult {
    const privileged = this.isPrivileged(domid);
    if (perms.length < 1) return err('EINVAL');
    if (!privileged && perms.length > this.quota.permsPerNode) return err('ENOSPC');
    const parsed = perms.map(parsePerm);
    if (parsed.some((p) => p === undefined)) return err('EINVAL');
    const list = parsed as XsPerm[];
    if (isSpecial(path)) {
      const current = this.specialPerms.get(path);
      if (!current) return err('EINVAL');
      if ((permFor(domid, privileged, current) & (PERM_WRITE | PERM_OWNER)) === 0) return err('EACCES');
      this.specialPerms.set(path, list);
      return done;
    }
    return this.run(domid, tx, (c) => {
      const r = this.getNode(c, path, PERM_WRITE | PERM_OWNER);
      if (!r.ok) return r;
      if (!privileged && list[0]!.id !== r.value.node.perms[0]!.id) return err('EPERM');
      const name = canonicalize(domid, path);
      const res = this.putNode(c, name, { ...r.value.node, perms: list });
      if (res.ok) c.changes.push({ path: name, exact: false, oldPerms: r.value.node.perms });
      return res;
    });
  }

  // ---- WATCH, UNWATCH, RESET_WATCHES ----

  /** Adds a watch and fires it once straight away. */
  watch(domid: number, path: string, token: string): XsResult {
    const special = isSpecial(path);
    const name = canonicalize(domid, path);
    if (special ? Buffer.byteLength(path) > XENSTORE_REL_PATH_MAX : !isValidPath(name)) return err('EINVAL');
    if (this.watches.find(domid, name, token) >= 0) return err('EEXIST');
    if (!this.isPrivileged(domid) && this.watches.count(domid) >= this.quota.watchesPerDomain) return err('E2BIG');
    const w = { domid, path: name, token, relative: !special && !path.startsWith('/') };
    this.watches.add(w);
    this.onWatchEvent(domid, XsWatches.eventPath(w, name), token);
    return done;
  }

  unwatch(domid: number, path: string, token: string): XsResult {
    const i = this.watches.find(domid, canonicalize(domid, path), token);
    if (i < 0) return err('ENOENT');
    this.watches.removeAt(i);
    return done;
  }

  /** RESET_WATCHES: drops every watch and transaction of the domain. */
  resetWatches(domid: number): XsResult {
    this.watches.removeDomain(domid);
    for (const [id, t] of this.transactions) if (t.domid === domid) this.transactions.delete(id);
    return done;
  }

  // ---- TRANSACTION_START, TRANSACTION_END ----

  transactionStart(domid: number): XsResult<number> {
    const open = [...this.transactions.values()].filter((t) => t.domid === domid).length;
    if (!this.isPrivileged(domid) && open >= this.quota.transactionsPerDomain) return err('ENOSPC');
    let id = this.nextTransaction;
    while (id === 0 || this.transactions.has(id)) id = (id + 1) >>> 0;
    this.nextTransaction = (id + 1) >>> 0;
    this.transactions.set(id, { id, domid, view: new TxView(this.tree), changes: [] });
    return ok(id);
  }

  /** Commits (EAGAIN when anything it touched changed meanwhile) or discards; watches fire on commit. */
  transactionEnd(domid: number, tx: number, commit: boolean): XsResult {
    const t = this.transactions.get(tx);
    if (!t || t.domid !== domid) return err('ENOENT');
    this.transactions.delete(tx);
    if (!commit) return done;
    if (!t.view.unchanged()) return err('EAGAIN');
    t.view.commit();
    this.fire(t.changes);
    return done;
  }

  // ---- domains ----

  getDomainPath(domid: number): string {
    return domainPath(domid);
  }

  /**
   * What the toolstack does for a new domain: its home readable by it (owner dom0, "n0 r<domid>"), with
   * data/, device/ and control/ owned by it ("n<domid>"), then INTRODUCE fires @introduceDomain.
   */
  introduceDomain(domid: number): void {
    const home = domainPath(domid);
    this.mkdir(0, home);
    this.setPerms(0, home, ['n0', `r${domid}`]);
    for (const sub of ['data', 'device', 'control']) {
      this.mkdir(0, `${home}/${sub}`);
      this.setPerms(0, `${home}/${sub}`, [`n${domid}`]);
    }
    this.fire([{ path: '@introduceDomain', exact: false }]);
  }

  /**
   * A domain died: its watches and transactions go, nodes it owned pass to dom0 and entries naming it are
   * dropped (so a later domain with its domid inherits nothing), and @releaseDomain fires.
   */
  domainDied(domid: number): void {
    this.resetWatches(domid);
    for (const path of [...this.tree.paths()]) {
      const perms = this.tree.get(path)!.perms;
      if (!perms.some((p) => p.id === domid)) continue;
      const head = perms[0]!.id === domid ? { id: 0, perm: perms[0]!.perm } : perms[0]!;
      this.tree.setPermsQuietly(path, [head, ...perms.slice(1).filter((p) => p.id !== domid)]);
    }
    this.fire([{ path: '@releaseDomain', exact: false }]);
  }

  save(): XenStoreState {
    return saveXenStore(this);
  }

  /** Replaces everything with a saved state (verified first). */
  restore(state: XenStoreState): void {
    restoreXenStore(this, state);
  }

  // ---- internals ----

  /** Runs an operation in a transaction's view or on the tree (firing its watches at once). */
  private run<T>(domid: number, tx: number, op: (c: Ctx) => XsResult<T>): XsResult<T> {
    const privileged = this.isPrivileged(domid);
    if (tx !== 0) {
      const t = this.transactions.get(tx);
      if (!t || t.domid !== domid) return err('ENOENT');
      return op({ domid, privileged, view: t.view, changes: t.changes });
    }
    const c: Ctx = { domid, privileged, view: this.tree, changes: [] };
    const r = op(c);
    this.fire(c.changes);
    return r;
  }

  /** xenstored's get_node: the node if the caller has `perm`; EACCES rather than ENOENT when it may not know. */
  private getNode(c: Ctx, path: string, perm: number): XsResult<{ name: string; node: XsNode }> {
    const name = canonicalize(c.domid, path);
    if (!isValidPath(name)) return err('EINVAL');
    const node = c.view.get(name);
    if (node) return (permFor(c.domid, c.privileged, node.perms) & perm) === perm ? ok({ name, node }) : err('EACCES');
    let up = name;
    let found: XsNode | undefined;
    while (!found && up !== '/') {
      up = parentOf(up);
      found = c.view.get(up);
    }
    return err(found && (permFor(c.domid, c.privileged, found.perms) & perm) !== 0 ? 'ENOENT' : 'EACCES');
  }

  /** Writes one node, within the entry-size quota for unprivileged callers. */
  private putNode(c: Ctx, path: string, node: Omit<XsNode, 'generation'>): XsResult {
    if (!c.privileged && entrySize(node) >= this.quota.entrySize) return err('ENOSPC');
    c.view.put(path, node);
    return done;
  }

  /** Creates `name` and its missing parents (inheriting perms; an unprivileged creator owns them), all or nothing. */
  private create(c: Ctx, name: string, value: string): XsResult {
    const missing: string[] = [];
    let at = name;
    while (!c.view.get(at)) {
      missing.unshift(at);
      at = parentOf(at);
    }
    const writes: [string, Omit<XsNode, 'generation'>][] = [];
    let parent: Omit<XsNode, 'generation'> = c.view.get(at)!;
    writes.push([at, parent]);
    let owned = c.privileged ? 0 : c.view.ownedBy(c.domid);
    for (const path of missing) {
      writes[writes.length - 1]![1] = { ...parent, children: [...parent.children, baseName(path)] };
      const perms = c.privileged ? parent.perms : [{ id: c.domid, perm: parent.perms[0]!.perm }, ...parent.perms.slice(1)];
      if (!c.privileged && owned++ >= this.quota.entriesPerDomain) return err('ENOSPC');
      parent = { value: path === name ? value : '', perms, children: [] };
      writes.push([path, parent]);
    }
    if (!c.privileged && writes.some(([, n]) => entrySize(n) >= this.quota.entrySize)) return err('ENOSPC');
    for (const [path, node] of writes) c.view.put(path, node);
    return done;
  }

  /** Deletes a subtree, children first, recording an exact change for every node removed. */
  private deleteTree(c: Ctx, name: string, node: XsNode): void {
    for (const child of node.children) {
      const path = join(name, child);
      const n = c.view.get(path);
      if (n) this.deleteTree(c, path, n);
    }
    c.changes.push({ path: name, exact: true, perms: node.perms });
    c.view.delete(name);
  }

  private fire(changes: readonly XsChange[]): void {
    if (changes.length === 0) return;
    for (const [domid, path, token] of this.events(changes)) this.onWatchEvent(domid, path, token);
  }

  /** Watch events for committed changes; a watcher must be able to read the node (or its parent). */
  private events(changes: readonly XsChange[]): XsWatchEvent[] {
    return this.watches.events(changes, (domid, ch) => {
      const priv = this.isPrivileged(domid);
      const reads = (perms: readonly XsPerm[] | undefined): boolean => perms !== undefined && (permFor(domid, priv, perms) & PERM_READ) !== 0;
      if (isSpecial(ch.path)) return reads(this.specialPerms.get(ch.path));
      if (reads(ch.oldPerms)) return true;
      const perms = ch.perms ?? this.tree.get(ch.path)?.perms;
      if (perms === undefined) return false;
      return reads(perms) || reads(this.tree.get(parentOf(ch.path))?.perms);
    });
  }
}

/** The size xenstored charges for a node's record. */
export function entrySize(node: Omit<XsNode, 'generation'>): number {
  return 24 + 8 * node.perms.length + Buffer.byteLength(node.value) + node.children.reduce((n, ch) => n + Buffer.byteLength(ch) + 1, 0);
}

export type { XsErrno };
