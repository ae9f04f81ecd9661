/**
 * The pages, in navigation order. Hosts: when the several-hosts issue lands, add
 * `{ path: 'hosts', title: 'Hosts', render: () => <HostsPage /> }` here (a pages/hosts.tsx over
 * its /api/v1/hosts route and events); the navigation and routing take it from this list.
 */
import type { ComponentChild } from 'preact';
import { AsksPage } from './asks.js';
import { CallsPage } from './calls.js';
import { PolicyPage } from './policy.js';
import { SnapshotsPage } from './snapshots.js';
import { VmPage } from './vm.js';
import { VmsPage } from './vms.js';

export interface PageDef {
  path: string;
  title: string;
  /** The page for the route's remaining segments. */
  render: (rest: string[]) => ComponentChild;
}

export const PAGES: PageDef[] = [
  { path: 'vms', title: 'VMs', render: (rest) => (rest[0] ? <VmPage name={rest[0]} /> : <VmsPage />) },
  { path: 'policy', title: 'Policy', render: (rest) => <PolicyPage file={rest[0]} isNew={rest[1] === 'new'} /> },
  { path: 'asks', title: 'Questions', render: () => <AsksPage /> },
  { path: 'calls', title: 'qrexec calls', render: () => <CallsPage /> },
  { path: 'snapshots', title: 'Snapshots', render: () => <SnapshotsPage /> },
];
