/** Snapshots: the index (resume, remove), the files without an entry, suspend-all and prune. */
import { useState } from 'preact/hooks';
import { Confirm } from '../components/confirm.js';
import { PageTitle } from '../components/page-title.js';
import { SnapshotTable } from '../components/snapshot-table.js';
import { messageOf, post, type Schemas } from '../lib/api.js';
import { bytes, dateTime } from '../lib/format.js';
import { notify } from '../state/notices.js';
import { useSnapshots } from '../state/snapshots.js';

export function SnapshotsPage() {
  const { list, error, reload } = useSnapshots();
  const [confirm, setConfirm] = useState<'prune' | 'all' | null>(null);
  const act = async (what: 'prune' | 'all') => {
    try {
      if (what === 'all') {
        const s = await post<Schemas['Snapshot']>('/api/v1/snapshots', { all: true });
        notify(`Suspended ${s.vms.map((v) => v.name).join(', ')} into ${s.id}`);
      } else {
        const r = await post<Schemas['PruneResult']>('/api/v1/snapshots/prune', { orphans: true });
        notify(`Pruned ${r.snapshots.length} snapshots and ${r.orphans.length} files`);
        reload();
      }
    } catch (err) {
      notify(`${what === 'all' ? 'Suspend all' : 'Prune'}: ${messageOf(err)}`, 'error');
    }
  };
  return (
    <section aria-labelledby="page-title">
      <div class="page-head">
        <PageTitle>Snapshots</PageTitle>
        <span class="grow" />
        <button type="button" onClick={() => setConfirm('all')}>Suspend all running VMs</button>
        <button type="button" class="danger" onClick={() => setConfirm('prune')}>Prune</button>
      </div>
      {error && <p class="error" role="alert">{error}</p>}
      {!list ? <p class="muted">Loading…</p> : <SnapshotTable snapshots={list.snapshots} label="Snapshots" />}
      {list && list.orphans.length > 0 && (
        <section class="card" aria-labelledby="orphans-title">
          <h2 id="orphans-title">Files without an index entry</h2>
          <ul>{list.orphans.map((o) => <li key={o.file}><code>{o.file}</code> {bytes(o.bytes)}, {dateTime(o.modified_at)}</li>)}</ul>
        </section>
      )}
      {confirm && (
        <Confirm
          question={confirm === 'all' ? 'Suspend every running VM into one file?' : 'Remove every snapshot no VM is suspended into, and every file without an entry?'}
          action={confirm === 'all' ? 'Suspend all' : 'Prune'}
          onAnswer={(yes) => (setConfirm(null), yes && void act(confirm))}
        />
      )}
    </section>
  );
}
