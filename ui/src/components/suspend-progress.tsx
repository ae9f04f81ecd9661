/** The progress bar of a suspend in flight (snapshot-progress events), labelled with the VM's name. */
import { percent } from '../lib/format.js';
import type { Progress } from '../state/progress.js';

export function SuspendProgress({ name, progress }: { name: string; progress: Progress }) {
  const value = percent(progress.done, progress.total);
  return (
    <span class="suspend-progress">
      <progress max={100} value={value} aria-label={`Suspending ${name}`} data-done={progress.done} data-total={progress.total} />
      <span aria-hidden="true">{value}%</span>
    </span>
  );
}
