/** One VM: its state and actions, properties, tags, features, console, events, event channels and grants, snapshots. */
import { Label } from '../components/label.js';
import { PageTitle } from '../components/page-title.js';
import { RemoveVm } from '../components/remove-vm.js';
import { SnapshotTable } from '../components/snapshot-table.js';
import { Sparkline } from '../components/sparkline.js';
import { StateBadge } from '../components/state-badge.js';
import { SuspendProgress } from '../components/suspend-progress.js';
import { VmActions } from '../components/vm-actions.js';
import { EventTable, useEvents } from '../components/event-list.js';
import { href } from '../lib/router.js';
import { useStore } from '../lib/store.js';
import { progress as progressStore } from '../state/progress.js';
import { useSnapshots } from '../state/snapshots.js';
import { vms, vmsLoaded } from '../state/vms.js';
import { Console } from './vm-console.js';
import { Properties } from './vm-properties.js';
import { Features, Tags } from './vm-tags-features.js';
import { XenPanel } from './vm-xen.js';

function VmEvents({ name }: { name: string }) {
  const events = useEvents((e) => e.subject === name || e.payload.vm === name, [name]);
  return (
    <section class="card" aria-labelledby="vm-events-title">
      <h2 id="vm-events-title">Events</h2>
      <EventTable events={events} label={`Events of ${name}`} />
    </section>
  );
}

function VmSnapshots({ name }: { name: string }) {
  const { list, error } = useSnapshots();
  const mine = (list?.snapshots ?? []).filter((s) => s.vms.some((v) => v.name === name));
  return (
    <section class="card" aria-labelledby="vm-snapshots-title">
      <h2 id="vm-snapshots-title">Snapshots</h2>
      {error && <p class="error" role="alert">{error}</p>}
      <SnapshotTable snapshots={mine} label={`Snapshots of ${name}`} />
    </section>
  );
}

export function VmPage({ name }: { name: string }) {
  const all = useStore(vms);
  const loaded = useStore(vmsLoaded);
  const progress = useStore(progressStore).get(name);
  const vm = all.get(name);
  if (!vm) {
    return (
      <section aria-labelledby="page-title">
        <PageTitle>{name}</PageTitle>
        <p>{loaded ? 'There is no VM of that name (any more).' : 'Loading…'}</p>
        <p><a href={href('vms')}>Back to the VMs</a></p>
      </section>
    );
  }
  return (
    <section aria-labelledby="page-title" class="vm-page" data-vm={vm.name}>
      <p class="crumbs"><a href={href('vms')}>VMs</a> › {vm.name}</p>
      <div class="page-head">
        <PageTitle>{vm.name}</PageTitle>
        <Label name={vm.label} />
        <span class="muted">{vm.class}{vm.template ? ` on ${vm.template}` : ''}</span>
        <span class="vm-state" aria-live="polite">
          <span class="sr-only">State: </span>
          <StateBadge state={vm.state} />
        </span>
        {progress && <SuspendProgress name={vm.name} progress={progress} />}
        <span class="grow" />
        <VmActions vm={vm} />
        {(vm.state === 'halted' || vm.state === 'crashed') && vm.class !== 'AdminVM' && (
          <RemoveVm name={vm.name} onRemoved={() => (location.hash = href('vms'))} />
        )}
      </div>
      <div class="rates">
        <span>Host CPU <Sparkline name={vm.name} metric="cpu" label="Host CPU" /></span>
        <span>Instructions <Sparkline name={vm.name} metric="ips" label="Instructions per second" /></span>
      </div>
      <div class="columns">
        <div>
          <Properties vm={vm} />
          <Tags vm={vm} />
          <Features vm={vm} />
        </div>
        <div>
          <Console vm={vm} />
          <VmEvents name={vm.name} />
          <XenPanel vm={vm} />
          <VmSnapshots name={vm.name} />
        </div>
      </div>
    </section>
  );
}
