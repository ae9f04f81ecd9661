/** Remove a VM, after a confirmation; a refusal (in use by other VMs) becomes a notice. */
import { useState } from 'preact/hooks';
import { call, enc, messageOf } from '../lib/api.js';
import { notify } from '../state/notices.js';
import { Confirm } from './confirm.js';

export function RemoveVm({ name, small, onRemoved }: { name: string; small?: boolean; onRemoved?: () => void }) {
  const [asking, setAsking] = useState(false);
  const answer = async (yes: boolean) => {
    setAsking(false);
    if (!yes) return;
    try {
      await call('DELETE', `/api/v1/vms/${enc(name)}`);
      notify(`Removed ${name}`);
      onRemoved?.();
    } catch (err) {
      notify(`Remove ${name}: ${messageOf(err)}`, 'error');
    }
  };
  return (
    <>
      <button type="button" class={`danger${small ? ' small' : ''}`} aria-label={`Remove ${name}`} onClick={() => setAsking(true)}>
        Remove
      </button>
      {asking && <Confirm question={`Remove the VM ${name}? This cannot be undone.`} action="Remove" onAnswer={(yes) => void answer(yes)} />}
    </>
  );
}
