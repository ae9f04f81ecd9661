/** Snapshots as a table with their actions: resume the VMs suspended into one, remove one nobody is in. */
import { useState } from 'preact/hooks';
import { call, enc, messageOf, post } from '../lib/api.js';
import { bytes, dateTime } from '../lib/format.js';
import { notify } from '../state/notices.js';
import type { SnapshotList } from '../state/snapshots.js';
import { Confirm } from './confirm.js';

type Snapshot = SnapshotList['snapshots'][number];

function Row({ s }: { s: Snapshot }) {
  const [asking, setAsking] = useState(false);
  const [busy, setBusy] = useState(false);
  const act = async (what: () => Promise<unknown>, done: string, failed: string) => {
    setBusy(true);
    try {
      await what();
      notify(done);
    } catch (err) {
      notify(`${failed}: ${messageOf(err)}`, 'error');
    } finally {
      setBusy(false);
    }
  };
  return (
    <tr data-snapshot={s.id}>
      <th scope="row"><code>{s.id}</code></th>
      <td>{s.vms.map((v) => v.name).join(', ')}</td>
      <td class="num">{bytes(s.bytes)}</td>
      <td>{dateTime(s.created_at)}</td>
      <td>{s.reason}</td>
      <td>{s.suspended.length > 0 ? s.suspended.join(', ') : <span class="muted">none</span>}</td>
      <td>
        <span class="actions-cell">
        {s.suspended.length > 0 && (
          <button type="button" class="small" disabled={busy} aria-label={`Resume snapshot ${s.id}`}
            onClick={() => void act(() => post(`/api/v1/snapshots/${enc(s.id)}/resume`), `Resumed ${s.suspended.join(', ')}`, `Resume ${s.id}`)}>
            Resume
          </button>
        )}
        <button type="button" class="small danger" disabled={busy} aria-label={`Remove snapshot ${s.id}`} onClick={() => setAsking(true)}>
          Remove
        </button>
        {asking && (
          <Confirm question={`Remove the snapshot ${s.id} and its file?`} action="Remove"
            onAnswer={(yes) => (setAsking(false), yes && void act(() => call('DELETE', `/api/v1/snapshots/${enc(s.id)}`), `Removed ${s.id}`, `Remove ${s.id}`))} />
        )}
        </span>
      </td>
    </tr>
  );
}

export function SnapshotTable({ snapshots, label }: { snapshots: Snapshot[]; label: string }) {
  if (snapshots.length === 0) return <p class="muted">No snapshots.</p>;
  return (
    <div class="scroll">
      <table class="compact snapshots" aria-label={label}>
        <thead>
          <tr>
            <th scope="col">Id</th><th scope="col">VMs</th><th scope="col">Size</th><th scope="col">Created</th>
            <th scope="col">Reason</th><th scope="col">Suspended in it</th><th scope="col">Actions</th>
          </tr>
        </thead>
        <tbody>{snapshots.map((s) => <Row key={s.id} s={s} />)}</tbody>
      </table>
    </div>
  );
}
