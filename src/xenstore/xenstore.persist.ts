/** Plain-data (JSON) state of the XenStore: nodes, watches, open transactions, special-name perms. */
import { z } from 'zod';
import { formatPerm, parsePerm, type XsPerm } from './xs-perms.js';
import { TxView } from './xs-tree.js';
import type { XenStore } from './xenstore.js';

const perms = z.array(z.string().refine((p) => parsePerm(p) !== undefined, 'a permission like n0, r5, w7 or b9')).min(1);
const body = z.object({ value: z.string(), perms, children: z.array(z.string()) });
const change = z.object({ path: z.string(), exact: z.boolean(), perms: perms.optional(), oldPerms: perms.optional() });

export const xenStoreStateSchema = z.object({
  generation: z.number().int().min(0),
  nextTransaction: z.number().int().min(0),
  nodes: z.array(body.extend({ path: z.string(), generation: z.number().int().min(0) })),
  watches: z.array(z.object({ domid: z.number().int().min(0), path: z.string(), token: z.string(), relative: z.boolean() })),
  transactions: z.array(z.object({
    id: z.number().int().min(1),
    domid: z.number().int().min(0),
    overlay: z.array(z.object({ path: z.string(), node: body.nullable() })),
    seen: z.array(z.tuple([z.string(), z.number().int().min(-1)])),
    changes: z.array(change),
  })),
  specialPerms: z.array(z.tuple([z.string(), perms])),
});
export type XenStoreState = z.infer<typeof xenStoreStateSchema>;

const fmt = (p: readonly XsPerm[]): string[] => p.map(formatPerm);
const parse = (p: readonly string[]): XsPerm[] => p.map((s) => parsePerm(s)!);

export function saveXenStore(xs: XenStore): XenStoreState {
  return {
    generation: xs.tree.generation,
    nextTransaction: xs.nextTransaction,
    nodes: saveXenStoreNodes(xs),
    watches: xs.watches.list.map((w) => ({ ...w })),
    transactions: [...xs.transactions.values()].map((t) => ({
      id: t.id,
      domid: t.domid,
      overlay: [...t.view.overlay].map(([path, n]) => ({ path, node: n && { value: n.value, perms: fmt(n.perms), children: [...n.children] } })),
      seen: [...t.view.seen],
      changes: t.changes.map((c) => ({
        path: c.path, exact: c.exact,
        ...(c.perms ? { perms: fmt(c.perms) } : {}), ...(c.oldPerms ? { oldPerms: fmt(c.oldPerms) } : {}),
      })),
    })),
    specialPerms: [...xs.specialPerms].map(([name, p]) => [name, fmt(p)]),
  };
}

/** The store's nodes as saved, all of them or those whose path `keep` takes. */
export function saveXenStoreNodes(xs: XenStore, keep: (path: string) => boolean = () => true): XenStoreState['nodes'] {
  const out: XenStoreState['nodes'] = [];
  for (const [path, n] of xs.tree.nodes) {
    if (keep(path)) out.push({ path, value: n.value, perms: fmt(n.perms), children: [...n.children], generation: n.generation });
  }
  return out;
}

/** Verifies a saved state (throws on a malformed one, touching nothing) and replaces the store's contents. */
export function restoreXenStore(xs: XenStore, state: XenStoreState): void {
  const s = xenStoreStateSchema.parse(state);
  if (!s.nodes.some((n) => n.path === '/')) throw new Error('xenstore state has no root node');
  xs.tree.load(s.nodes.map((n) => [n.path, { value: n.value, perms: parse(n.perms), children: n.children, generation: n.generation }]));
  xs.tree.generation = s.generation;
  xs.watches.list.splice(0, xs.watches.list.length, ...s.watches);
  xs.transactions.clear();
  for (const t of s.transactions) {
    const view = new TxView(xs.tree);
    for (const o of t.overlay) view.overlay.set(o.path, o.node && { value: o.node.value, perms: parse(o.node.perms), children: o.node.children });
    for (const [path, gen] of t.seen) view.seen.set(path, gen);
    const changes = t.changes.map((c) => ({
      path: c.path, exact: c.exact, ...(c.perms ? { perms: parse(c.perms) } : {}), ...(c.oldPerms ? { oldPerms: parse(c.oldPerms) } : {}),
    }));
    xs.transactions.set(t.id, { id: t.id, domid: t.domid, view, changes });
  }
  xs.specialPerms.clear();
  for (const [name, p] of s.specialPerms) xs.specialPerms.set(name, parse(p));
  xs.nextTransaction = s.nextTransaction;
}

/**
 * Puts a saved subtree back under `home` (a domain's home, after a restart): whatever is there now is
 * replaced by the saved nodes, with their values, permissions and children, and the domain's saved
 * watches are registered again as they were (no initial event: the guest registered them long ago).
 */
export function restoreXenStoreHome(xs: XenStore, home: string, nodes: XenStoreState['nodes'], watches: XenStoreState['watches']): void {
  const inside = (path: string) => path === home || path.startsWith(`${home}/`);
  const saved = z.array(xenStoreStateSchema.shape.nodes.element).parse(nodes);
  if (!saved.some((n) => n.path === home) || !saved.every((n) => inside(n.path))) throw new Error(`xenstore: the saved nodes are not the subtree ${home}`);
  for (const path of [...xs.tree.paths()]) if (inside(path)) xs.tree.delete(path);
  for (const n of saved) xs.tree.put(n.path, { value: n.value, perms: parse(n.perms), children: n.children });
  xs.watches.list.push(...z.array(xenStoreStateSchema.shape.watches.element).parse(watches));
}
