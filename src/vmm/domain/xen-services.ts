/**
 * The Xen-style services every domain shares: event channels, grant tables and the dom0 key/value
 * store, over the hypervisor's domains. The VM monitor hooks their notifications to vCPU wake-ups
 * and keeps the store's toolstack entries (name, /vm/<name>/domid, vm-config) as VMs come and go.
 */
import { EventChannels } from '../../event-channels/event-channels.js';
import { VIRQ } from '../../event-channels/virq.js';
import { GrantTables } from '../../grant-tables/grant-tables.js';
import type { Hypervisor } from '../../hypervisor/hypervisor.js';
import { XenStore } from '../../xenstore/xenstore.js';
import { restoreXenStoreHome } from '../../xenstore/xenstore.persist.js';
import type { DomainState } from './domain-state.js';

export interface XenServiceHooks {
  /** An event is pending for `domid` (any port): wake its blocked vCPUs. */
  eventPending(domid: number, port: number): void;
  /** A watch of `domid` fired on `path`. */
  watchFired(domid: number, path: string, token: string): void;
}

export class XenServices {
  readonly evtchn: EventChannels;
  readonly grants: GrantTables;
  readonly store: XenStore;
  /** Host-side listeners of ports (dom0's code, and the PV kernels' qrexec agents, are TypeScript). */
  private readonly portListeners = new Map<string, () => void>();

  constructor(hv: Hypervisor, hooks: XenServiceHooks) {
    const directory = { domain: (domid: number) => hv.domain(domid) };
    this.evtchn = new EventChannels(directory, {
      notify: () => undefined,
      pending: (domid, port) => {
        const listener = this.portListeners.get(`${domid}:${port}`);
        if (listener) listener();
        else if (domid !== 0) hooks.eventPending(domid, port);
      },
    });
    this.grants = new GrantTables(directory);
    this.store = new XenStore({ isPrivileged: (domid) => domid === 0, onWatchEvent: (domid, path, token) => hooks.watchFired(domid, path, token) });
    this.evtchn.addDomain(0);
    this.grants.addDomain(0);
    // dom0 hears of every domain's death (VIRQ_DOM_EXC), as xenstored and the toolstack do
    const virqPort = this.evtchn.bindVirq(0, VIRQ.DOM_EXC, 0);
    this.onDom0Port(virqPort, () => this.domainExceptions++);
  }

  /** VIRQ_DOM_EXC deliveries to dom0 (one per domain death). */
  domainExceptions = 0;

  /** dom0 code listens on one of dom0's ports. */
  onDom0Port(port: number, listener: () => void): () => void {
    return this.onPort(0, port, listener);
  }

  /** Host code (dom0's, or a PV kernel's) listens on a port of `domid`: it, not the guest, is woken. */
  onPort(domid: number, port: number, listener: () => void): () => void {
    const key = `${domid}:${port}`;
    this.portListeners.set(key, listener);
    return () => this.portListeners.delete(key);
  }

  /** A new domain: its tables with its limits, and its entries in the store. */
  introduce(domid: number, name: string, maxEventChannels: number, config: Record<string, string>): void {
    this.evtchn.addDomain(domid, { maxEventChannels });
    this.grants.addDomain(domid);
    const s = this.store;
    s.introduceDomain(domid);
    const home = s.getDomainPath(domid);
    s.write(0, `${home}/name`, name);
    s.write(0, `${home}/domid`, String(domid));
    for (const [key, value] of Object.entries(config)) s.write(0, `${home}/vm-config/${key}`, value);
    s.write(0, `/vm/${name}/domid`, String(domid));
    s.setPerms(0, `/vm/${name}`, ['r0']);
    s.setPerms(0, `/vm/${name}/domid`, ['r0']);
  }

  /**
   * Domains back from one suspend file after a restart, under their saved domids: their port tables,
   * grant tables and XenStore homes as they were, with the channels and the grant mappings between
   * them, less what tied them to domains that are gone (see
   * EventChannels.restoreTogether and GrantTables.restoreTogether). Throws, having added nothing,
   * when a part does not fit; after that, the caller takes the domains down.
   */
  reintroduce(members: readonly { domid: number; name: string; saved: DomainState }[]): void {
    for (const { domid, saved } of members) {
      if (saved.domid !== domid) throw new Error(`the saved tables are domain ${saved.domid}'s, not ${domid}'s`);
      if (saved.xenstore.watches.some((w) => w.domid !== domid)) throw new Error(`the saved watches of domain ${domid} name another domain`);
    }
    const withPorts = members.filter((m) => m.saved.eventChannels !== null);
    this.evtchn.restoreTogether(withPorts.map((m) => m.saved.eventChannels!));
    const undo = (): void => {
      for (const { domid } of members) {
        this.evtchn.domainDied(domid);
        this.grants.domainDied(domid);
      }
    };
    try {
      for (const { domid, saved } of members) if (saved.eventChannels === null) this.evtchn.addDomain(domid);
      this.grants.restoreTogether(members.map(({ domid, saved }) => ({ domid, table: saved.grantTable, maptrack: saved.maptrack })));
    } catch (err) {
      undo();
      throw err;
    }
    for (const { domid, name, saved } of members) {
      const home = this.store.getDomainPath(domid);
      this.store.introduceDomain(domid);
      restoreXenStoreHome(this.store, home, saved.xenstore.nodes, saved.xenstore.watches);
      this.store.write(0, `/vm/${name}/domid`, String(domid));
      this.store.setPerms(0, `/vm/${name}`, ['r0']);
      this.store.setPerms(0, `/vm/${name}/domid`, ['r0']);
    }
  }

  /**
   * A domain is gone: peers' channels go back to unbound, its mappings and grants are released, and
   * every host-side listener hears of it (Xen closes a dead peer's port without an event; a vchan end
   * checks on any event whether its peer is still there).
   */
  release(domid: number, name: string): void {
    this.evtchn.domainDied(domid);
    this.grants.domainDied(domid);
    this.store.domainDied(domid);
    this.store.rm(0, this.store.getDomainPath(domid));
    this.store.rm(0, `/vm/${name}`);
    for (const [key, listener] of [...this.portListeners]) {
      if (key.startsWith(`${domid}:`)) this.portListeners.delete(key);
      else listener();
    }
  }
}
