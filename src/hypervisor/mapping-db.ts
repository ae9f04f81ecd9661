/**
 * The mapping database (NOVA §4.6): every capability is a node; a delegation makes a child node
 * with a subset of the parent's permissions; revoking walks the subtree and removes permissions
 * from everything derived, and a node whose permissions reach zero leaves its selector.
 */
import type { KernelObject } from './capability.js';

export interface CapHolder {
  /** Forgets the node at `selector` (called when the node's permissions reach zero). */
  clear(selector: number, node: MdbNode): void;
}

export class MdbNode {
  readonly children = new Set<MdbNode>();

  constructor(
    readonly object: KernelObject,
    public perms: number,
    readonly holder: CapHolder,
    readonly selector: number,
    readonly parent: MdbNode | null,
  ) {
    parent?.children.add(this);
  }

  /** A child in `holder` at `selector` with the permissions of this node ∧ `mask`. */
  derive(holder: CapHolder, selector: number, mask: number): MdbNode {
    return new MdbNode(this.object, this.perms & mask, holder, selector, this);
  }

  /**
   * Removes `mask` from every node derived from this one, depth first; with `self`, from this
   * node too. Nodes left without permissions are unlinked and leave their selector.
   */
  revoke(mask: number, self: boolean): void {
    for (const child of [...this.children]) child.revoke(mask, true);
    if (!self) return;
    this.perms &= ~mask;
    if (this.perms === 0) this.unlink();
  }

  /** Takes this node (and what hangs below it) out of the tree and out of its selector. */
  unlink(): void {
    for (const child of [...this.children]) child.unlink();
    this.parent?.children.delete(this);
    this.holder.clear(this.selector, this);
  }
}
