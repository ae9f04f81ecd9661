/** A power state as a badge; transient states pulse. */
const TRANSIENT = new Set(['starting', 'halting', 'suspending', 'resuming']);

export function StateBadge({ state }: { state: string }) {
  return <span class={`state state-${state}${TRANSIENT.has(state) ? ' transient' : ''}`}>{state}</span>;
}
