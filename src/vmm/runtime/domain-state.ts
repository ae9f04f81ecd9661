/**
 * A domain's Xen-side state as plain data: its event-channel port table, its grant table with the
 * entries others have mapped, its own mappings of others' grants, and its XenStore home with its
 * watches. Suspend writes it into the file beside the VM's memory and kernel; a warm resume does not
 * need it (the domain stayed), a resume into another manager will.
 */
import { z } from 'zod';
import { portTableStateSchema } from '../../event-channels/event-channels.persist.js';
import { grantTablesStateSchema } from '../kernel/grant-tables.persist.js';
import { xenStoreStateSchema } from '../xenstore/xenstore.persist.js';
import type { XenServices } from './xen-services.js';

export const domainStateSchema = z.object({
  domid: z.number().int().min(1).max(0x7fef),
  eventChannels: portTableStateSchema.nullable(),
  grantTable: grantTablesStateSchema.shape.tables.element.nullable(),
  maptrack: grantTablesStateSchema.shape.maptracks.element.nullable(),
  xenstore: z.object({ nodes: xenStoreStateSchema.shape.nodes, watches: xenStoreStateSchema.shape.watches }),
});
export type DomainState = z.infer<typeof domainStateSchema>;

export function domainState(xen: XenServices, domid: number): DomainState {
  const grants = xen.grants.save();
  const store = xen.store.save();
  const home = `/local/domain/${domid}`;
  return {
    domid,
    eventChannels: xen.evtchn.save().domains.find((d) => d.domid === domid) ?? null,
    grantTable: grants.tables.find((t) => t.domid === domid) ?? null,
    maptrack: grants.maptracks.find((m) => m.domid === domid) ?? null,
    xenstore: {
      nodes: store.nodes.filter((n) => n.path === home || n.path.startsWith(`${home}/`)),
      watches: store.watches.filter((w) => w.domid === domid),
    },
  };
}
