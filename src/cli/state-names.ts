/** What `qvm-ls` shows for each power state: Qubes' get_power_state() names. */
import type { Vm } from './client.js';

export const QUBES_STATE_NAMES: Record<Vm['state'], string> = {
  halted: 'Halted',
  starting: 'Transient',
  running: 'Running',
  paused: 'Paused',
  halting: 'Halting',
  crashed: 'Crashed',
  suspending: 'Suspending',
  suspended: 'Suspended',
  resuming: 'Transient',
};
