/** The lifecycle buttons a VM's state allows (the lifecycle machine's guards), each a POST; a refusal becomes a notice. */
import { useState } from 'preact/hooks';
import { enc, messageOf, post, type Vm } from '../lib/api.js';
import { notify } from '../state/notices.js';

type Action = 'start' | 'pause' | 'unpause' | 'shutdown' | 'kill' | 'suspend' | 'resume';

const ALLOWED: Record<string, Action[]> = {
  halted: ['start'],
  crashed: ['start'],
  running: ['pause', 'shutdown', 'suspend', 'kill'],
  paused: ['unpause', 'suspend', 'kill'],
  starting: ['kill'],
  halting: ['kill'],
  suspended: ['resume'],
};

const TITLES: Record<Action, string> = {
  start: 'Start', pause: 'Pause', unpause: 'Unpause', shutdown: 'Shut down', kill: 'Kill', suspend: 'Suspend', resume: 'Resume',
};

export function VmActions({ vm }: { vm: Vm }) {
  const [busy, setBusy] = useState<Action | null>(null);
  if (vm.class === 'AdminVM') return null;
  const run = async (action: Action) => {
    setBusy(action);
    try {
      await post(`/api/v1/vms/${enc(vm.name)}/${action}`);
    } catch (err) {
      notify(`${TITLES[action]} ${vm.name}: ${messageOf(err)}`, 'error');
    } finally {
      setBusy(null);
    }
  };
  return (
    <span class="actions" role="group" aria-label={`Actions on ${vm.name}`}>
      {(ALLOWED[vm.state] ?? []).map((action) => (
        <button
          key={action}
          type="button"
          class={`small action-${action}${action === 'kill' ? ' danger' : ''}`}
          disabled={busy !== null}
          aria-label={`${TITLES[action]} ${vm.name}`}
          onClick={() => void run(action)}
        >
          {busy === action ? `${TITLES[action]}…` : TITLES[action]}
        </button>
      ))}
    </span>
  );
}
