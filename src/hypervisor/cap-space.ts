/** A PD's object space: selectors holding capability nodes; an empty selector holds the null cap. */
import type { KernelObject, ObjectType } from './capability.js';
import { MdbNode, type CapHolder } from './mapping-db.js';

/** Selectors a space has (NOVA's HIP reports the count; ours is fixed). */
export const NUM_SELECTORS = 1 << 16;

export class CapSpace implements CapHolder {
  private readonly slots = new Map<number, MdbNode>();

  valid(selector: number): boolean {
    return Number.isInteger(selector) && selector >= 0 && selector < NUM_SELECTORS;
  }

  isNull(selector: number): boolean {
    return !this.slots.has(selector);
  }

  node(selector: number): MdbNode | undefined {
    const node = this.slots.get(selector);
    if (node && !node.object.alive) {
      node.unlink();
      return undefined;
    }
    return node;
  }

  /** The object at `selector` when it has `type` and all of `perms`, else undefined (BAD_CAP). */
  lookup<T extends KernelObject>(selector: number, type: ObjectType, perms = 0): T | undefined {
    const node = this.node(selector);
    if (!node || node.object.type !== type || (node.perms & perms) !== perms) return undefined;
    return node.object as T;
  }

  /** Installs a root capability (a newly created object) at an empty selector. */
  install(selector: number, object: KernelObject, perms: number): MdbNode {
    const node = new MdbNode(object, perms, this, selector, null);
    this.slots.set(selector, node);
    return node;
  }

  /** Installs a node derived elsewhere. */
  put(selector: number, node: MdbNode): void {
    this.slots.set(selector, node);
  }

  clear(selector: number, node: MdbNode): void {
    if (this.slots.get(selector) === node) this.slots.delete(selector);
  }

  /** Selectors in use, for introspection. */
  selectors(): number[] {
    return [...this.slots.keys()].sort((a, b) => a - b);
  }
}
