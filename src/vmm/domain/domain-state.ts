/**
 * A domain's Xen-side state as plain data: its event-channel port table, its grant table with the
 * entries others have mapped, its own mappings of others' grants, and its XenStore home with its
 * watches. Suspend writes it into the file beside the VM's memory and kernel; a warm resume does not
 * need it (the domain stayed), a resume into another manager will. Only this domain's state is
 * taken: it runs inside suspend's stop-the-world capture.
 */
import { z } from 'zod';
import { portTableStateSchema, savePortTable } from '../../event-channels/event-channels.persist.js';
import { grantTablesStateSchema } from '../../grant-tables/grant-tables.persist.js';
import { saveXenStoreNodes, xenStoreStateSchema } from '../../xenstore/xenstore.persist.js';
import { domainPath } from '../../xenstore/xs-path.js';
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
  const ports = xen.evtchn.table(domid);
  const grants = xen.grants.saveDomain(domid);
  const home = domainPath(domid);
  return {
    domid,
    eventChannels: ports ? savePortTable(ports) : null,
    grantTable: grants.table,
    maptrack: grants.maptrack,
    xenstore: {
      nodes: saveXenStoreNodes(xen.store, (path) => path === home || path.startsWith(`${home}/`)),
      watches: xen.store.watches.list.filter((w) => w.domid === domid).map((w) => ({ ...w })),
    },
  };
}
