/** A VM's power state, as the lifecycle machine names it. */
export const POWER_STATES = [
  'halted',
  'starting',
  'running',
  'paused',
  'halting',
  'crashed',
  'suspending',
  'suspended',
  'resuming',
] as const;
export type PowerState = (typeof POWER_STATES)[number];
