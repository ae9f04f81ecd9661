/** What a vchan end needs of the model: event channels, grant tables and XenStore, acting for its domain. */
import type { EventChannels } from '../../event-channels/event-channels.js';
import type { GrantTables } from '../../grant-tables/grant-tables.js';
import type { XenStore } from '../../xenstore/xenstore.js';

export interface VchanHost {
  readonly evtchn: Pick<EventChannels, 'allocUnbound' | 'bindInterdomain' | 'send' | 'close' | 'unmask' | 'table'>;
  readonly grants: Pick<
    GrantTables,
    'domain' | 'freeRef' | 'grantAccess' | 'endForeignAccess' | 'mapGrantRef' | 'unmapGrantRef' | 'mappedFrame'
  >;
  readonly xenstore: Pick<XenStore, 'read' | 'write' | 'setPerms' | 'rm' | 'transactionStart' | 'transactionEnd'>;
}

/** A domain that exists and is not dying (a vchan whose peer fails this is closed). */
export function domainAlive(host: VchanHost, domid: number): boolean {
  const d = host.grants.domain(domid);
  return d !== undefined && !d.dying;
}

/** Qubes' XenStore directory of a vchan: `/local/domain/<server>/data/vchan/<client>/<port>`. */
export const vchanXsPath = (server: number, client: number, port: number): string =>
  `/local/domain/${server}/data/vchan/${client}/${port}`;
