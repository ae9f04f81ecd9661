/** The XenStore node tree (path → value, perms, children in creation order) and a transaction's copy-on-write view of it. */
import type { XsPerm } from './xs-perms.js';

export interface XsNode {
  readonly value: string;
  readonly perms: readonly XsPerm[];
  readonly children: readonly string[];
  /** Bumped on every change of the node (xenstored's generation count). */
  readonly generation: number;
}

/** What operations read and write: the committed tree, or a transaction's view of it. */
export interface NodeView {
  get(path: string): XsNode | undefined;
  put(path: string, node: Omit<XsNode, 'generation'>): void;
  delete(path: string): void;
  /** Every path that exists in this view. */
  paths(): Iterable<string>;
  /** A node without recording the access (for quota counting). */
  peek(path: string): XsNode | undefined;
  /** How many nodes `domid` owns (first permission entry), for the per-domain quota. */
  ownedBy(domid: number): number;
}

/** The committed tree. */
export class XsTree implements NodeView {
  /** Read freely; written only through put, delete, setPermsQuietly and load (they keep the owner counts). */
  readonly nodes = new Map<string, XsNode>();
  generation = 0;
  /** Nodes per owning domain, kept as nodes change: the quota check costs no scan of the tree. */
  private readonly owners = new Map<number, number>();

  get(path: string): XsNode | undefined {
    return this.nodes.get(path);
  }

  put(path: string, node: Omit<XsNode, 'generation'>): void {
    this.set(path, { ...node, generation: ++this.generation });
  }

  delete(path: string): void {
    const old = this.nodes.get(path);
    if (old) this.count(old, -1);
    this.nodes.delete(path);
  }

  ownedBy(domid: number): number {
    return this.owners.get(domid) ?? 0;
  }

  /** Replaces every node (a restore). */
  load(nodes: Iterable<[string, XsNode]>): void {
    this.nodes.clear();
    this.owners.clear();
    for (const [path, node] of nodes) this.set(path, node);
  }

  private set(path: string, node: XsNode): void {
    const old = this.nodes.get(path);
    if (old) this.count(old, -1);
    this.nodes.set(path, node);
    this.count(node, 1);
  }

  private count(node: Omit<XsNode, 'generation'>, by: number): void {
    const owner = node.perms[0]?.id;
    if (owner !== undefined) this.owners.set(owner, (this.owners.get(owner) ?? 0) + by);
  }

  paths(): Iterable<string> {
    return this.nodes.keys();
  }

  peek(path: string): XsNode | undefined {
    return this.nodes.get(path);
  }

  /** Replaces a node's permissions without a new generation (ownership cleanup after a domain's death). */
  setPermsQuietly(path: string, perms: readonly XsPerm[]): void {
    const n = this.nodes.get(path);
    if (n) this.set(path, { ...n, perms });
  }
}

/** A transaction's view: changes go to an overlay; every path touched records the generation it saw. */
export class TxView implements NodeView {
  /** Changed nodes; null = deleted in the transaction. */
  readonly overlay = new Map<string, Omit<XsNode, 'generation'> | null>();
  /** Generation of each path read or written at its first access (-1: it did not exist). */
  readonly seen = new Map<string, number>();

  constructor(private readonly tree: XsTree) {}

  private touch(path: string): void {
    if (!this.seen.has(path)) this.seen.set(path, this.tree.get(path)?.generation ?? -1);
  }

  get(path: string): XsNode | undefined {
    this.touch(path);
    return this.peek(path);
  }

  put(path: string, node: Omit<XsNode, 'generation'>): void {
    this.touch(path);
    this.overlay.set(path, { value: node.value, perms: node.perms, children: node.children });
  }

  delete(path: string): void {
    this.touch(path);
    this.overlay.set(path, null);
  }

  peek(path: string): XsNode | undefined {
    if (!this.overlay.has(path)) return this.tree.get(path);
    const n = this.overlay.get(path);
    return n === null || n === undefined ? undefined : { ...n, generation: 0 };
  }

  ownedBy(domid: number): number {
    let n = this.tree.ownedBy(domid);
    for (const [path, node] of this.overlay) {
      if (this.tree.get(path)?.perms[0]?.id === domid) n--;
      if (node && node.perms[0]?.id === domid) n++;
    }
    return n;
  }

  *paths(): Iterable<string> {
    for (const p of this.tree.paths()) if (!this.overlay.has(p)) yield p;
    for (const [p, n] of this.overlay) if (n !== null) yield p;
  }

  /** True when nothing this transaction touched has changed in the tree since. */
  unchanged(): boolean {
    for (const [path, gen] of this.seen) if ((this.tree.get(path)?.generation ?? -1) !== gen) return false;
    return true;
  }

  /** Applies the overlay to the tree (new generations). */
  commit(): void {
    for (const [path, n] of this.overlay) {
      if (n === null) this.tree.delete(path);
      else this.tree.put(path, n);
    }
  }
}
