/** The VM list: filter, sort, live state, sparklines, lifecycle actions with suspend progress, create and remove. */
import { Component } from 'preact';
import { useMemo, useState } from 'preact/hooks';
import { Label } from '../components/label.js';
import { Sparkline } from '../components/sparkline.js';
import { StateBadge } from '../components/state-badge.js';
import { SuspendProgress } from '../components/suspend-progress.js';
import { VmActions } from '../components/vm-actions.js';
import { RemoveVm } from '../components/remove-vm.js';
import type { Vm } from '../lib/api.js';
import { href } from '../lib/router.js';
import { useStore } from '../lib/store.js';
import { progress as progressStore, type Progress } from '../state/progress.js';
import { vms, vmsLoaded } from '../state/vms.js';
import { CreateVm } from './create-vm.js';
import { PageTitle } from '../components/page-title.js';

type SortKey = 'name' | 'label' | 'class' | 'state' | 'template' | 'memory';
const COLUMNS: { key: SortKey; title: string }[] = [
  { key: 'name', title: 'Name' },
  { key: 'label', title: 'Label' },
  { key: 'class', title: 'Class' },
  { key: 'state', title: 'State' },
  { key: 'template', title: 'Template' },
  { key: 'memory', title: 'Memory' },
];
const STATES = ['halted', 'running', 'paused', 'suspended', 'crashed', 'starting', 'halting', 'suspending', 'resuming'];
const CLASSES = ['AdminVM', 'AppVM', 'TemplateVM', 'StandaloneVM', 'DispVM'];

interface RowProps {
  vm: Vm;
  progress: Progress | undefined;
}

/**
 * A row renders again only when its VM or its progress changed: 500 rows cost one row per event. Rows
 * are ARIA table rows laid out as grids (not a <table>): with content-visibility, the browser lays out
 * only the rows on screen, where a <table> lays out all 500 again whenever one changes.
 */
class VmRow extends Component<RowProps> {
  override shouldComponentUpdate(next: RowProps): boolean {
    return next.vm !== this.props.vm || next.progress !== this.props.progress;
  }

  override render({ vm, progress }: RowProps) {
    return (
      <div role="row" class="vm-row" data-vm={vm.name} data-state={vm.state}>
        <div role="rowheader" class="c-name">
          <a href={href('vms', vm.name)}>{vm.name}</a>
          {vm.tags.length > 0 && <span class="tags"> {vm.tags.map((t) => <span class="tag" key={t}>{t}</span>)}</span>}
        </div>
        <div role="cell"><Label name={vm.label} /></div>
        <div role="cell">{vm.class}</div>
        <div role="cell" class="state-cell">
          <StateBadge state={vm.state} />
          {progress && <SuspendProgress name={vm.name} progress={progress} />}
        </div>
        <div role="cell">{vm.template ?? ''}</div>
        <div role="cell" class="num">{vm.memory} MiB</div>
        <div role="cell"><Sparkline name={vm.name} metric="cpu" label={`Host CPU of ${vm.name}`} /></div>
        <div role="cell"><Sparkline name={vm.name} metric="ips" label={`Instructions per second of ${vm.name}`} /></div>
        <div role="cell" class="actions-cell">
          <VmActions vm={vm} />
          {(vm.state === 'halted' || vm.state === 'crashed') && vm.class !== 'AdminVM' && <RemoveVm name={vm.name} small />}
        </div>
      </div>
    );
  }
}

const collator = new Intl.Collator(undefined, { numeric: true });

function compare(key: SortKey, a: Vm, b: Vm): number {
  if (key === 'memory') return a.memory - b.memory || collator.compare(a.name, b.name);
  return collator.compare(String(a[key] ?? ''), String(b[key] ?? '')) || collator.compare(a.name, b.name);
}

function matches(vm: Vm, text: string): boolean {
  if (!text) return true;
  const t = text.toLowerCase();
  return [vm.name, vm.class, vm.label, vm.template ?? '', vm.state, ...vm.tags].some((v) => v.toLowerCase().includes(t));
}

export function VmsPage() {
  const all = useStore(vms);
  const loaded = useStore(vmsLoaded);
  const progress = useStore(progressStore);
  const [text, setText] = useState('');
  const [state, setState] = useState('');
  const [klass, setKlass] = useState('');
  const [sort, setSort] = useState<{ key: SortKey; dir: 1 | -1 }>({ key: 'name', dir: 1 });
  const [creating, setCreating] = useState(false);
  const rows = useMemo(
    () =>
      [...all.values()]
        .filter((vm) => (!state || vm.state === state) && (!klass || vm.class === klass) && matches(vm, text))
        .sort((a, b) => compare(sort.key, a, b) * sort.dir),
    [all, text, state, klass, sort],
  );
  const sortBy = (key: SortKey) => setSort((s) => ({ key, dir: s.key === key ? (-s.dir as 1 | -1) : 1 }));
  return (
    <section aria-labelledby="page-title">
      <div class="page-head">
        <PageTitle>VMs</PageTitle>
        <button type="button" class="primary" aria-expanded={creating} aria-controls="create-vm" onClick={() => setCreating(!creating)}>
          {creating ? 'Close the form' : 'New VM'}
        </button>
      </div>
      {creating && <CreateVm onDone={() => setCreating(false)} />}
      <form class="filters" role="search" aria-label="Filter VMs" onSubmit={(e) => e.preventDefault()}>
        <label>
          Filter <input type="search" value={text} placeholder="name, tag, template…" onInput={(e) => setText(e.currentTarget.value)} />
        </label>
        <label>
          State{' '}
          <select value={state} onChange={(e) => setState(e.currentTarget.value)}>
            <option value="">any</option>
            {STATES.map((s) => <option key={s}>{s}</option>)}
          </select>
        </label>
        <label>
          Class{' '}
          <select value={klass} onChange={(e) => setKlass(e.currentTarget.value)}>
            <option value="">any</option>
            {CLASSES.map((c) => <option key={c}>{c}</option>)}
          </select>
        </label>
        <span class="count" aria-live="polite">{loaded ? `${rows.length} of ${all.size} VMs` : 'Loading…'}</span>
      </form>
      <p class="sr-only" id="vms-sorted">Sorted by {sort.key}, {sort.dir === 1 ? 'ascending' : 'descending'}</p>
      <div class="vms" role="table" aria-label="VMs" aria-describedby="vms-sorted" aria-rowcount={rows.length + 1}>
        <div role="rowgroup" class="vms-head">
          <div role="row" class="vm-row">
            {COLUMNS.map((c) => (
              <div key={c.key} role="columnheader" aria-sort={sort.key === c.key ? (sort.dir === 1 ? 'ascending' : 'descending') : 'none'}>
                <button type="button" class="sort" onClick={() => sortBy(c.key)}>
                  {c.title}
                  <span aria-hidden="true">{sort.key === c.key ? (sort.dir === 1 ? ' ▲' : ' ▼') : ''}</span>
                </button>
              </div>
            ))}
            <div role="columnheader">CPU</div>
            <div role="columnheader">Instructions</div>
            <div role="columnheader">Actions</div>
          </div>
        </div>
        <div role="rowgroup" class="vms-body">
          {rows.map((vm) => <VmRow key={vm.name} vm={vm} progress={progress.get(vm.name)} />)}
        </div>
      </div>
    </section>
  );
}
