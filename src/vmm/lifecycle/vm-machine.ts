/**
 * The VM lifecycle as an xstate machine: halted → starting → running ⇄ paused, running →
 * halting → halted, → crashed. Every command is guarded by a named guard; a command whose guard
 * fails is refused, and `refusal` says why in Qubes' words. The machine is pure: the lifecycle
 * code applies the effects and sends what happened (spawned, guest-ended, crash …).
 */
import { not, or, setup, stateIn } from 'xstate';
import type { PowerState } from '../config/power-state.js';

export type VmCommand = 'start' | 'pause' | 'unpause' | 'shutdown' | 'kill' | 'suspend' | 'resume';

export type VmEvent =
  | { type: VmCommand }
  | { type: 'spawned' }
  | { type: 'start-failed' }
  | { type: 'guest-ended' }
  | { type: 'crash' }
  | { type: 'suspended' }
  | { type: 'suspend-failed'; back: 'running' | 'paused' }
  | { type: 'resumed' }
  | { type: 'resume-failed' };

export const vmMachine = setup({
  types: { events: {} as VmEvent },
  guards: {
    'vm is halted or crashed': or([stateIn('#vm.halted'), stateIn('#vm.crashed')]),
    'vm is running': stateIn('#vm.running'),
    'vm is paused': stateIn('#vm.paused'),
    'vm is running or paused': or([stateIn('#vm.running'), stateIn('#vm.paused')]),
    'vm is suspended': stateIn('#vm.suspended'),
    'going back to paused': ({ event }) => event.type === 'suspend-failed' && event.back === 'paused',
    'vm is powered on': not(or([stateIn('#vm.halted'), stateIn('#vm.crashed')])),
  },
}).createMachine({
  id: 'vm',
  initial: 'halted',
  states: {
    halted: {},
    crashed: {},
    starting: { on: { spawned: 'running', 'start-failed': 'halted', crash: 'crashed' } },
    running: { on: { 'guest-ended': 'halted', crash: 'crashed' } },
    paused: { on: { 'guest-ended': 'halted', crash: 'crashed' } },
    halting: { on: { 'guest-ended': 'halted', crash: 'crashed' } },
    suspending: {
      on: {
        suspended: 'suspended',
        'suspend-failed': [{ guard: 'going back to paused', target: 'paused' }, { target: 'running' }],
      },
    },
    suspended: {},
    resuming: { on: { resumed: 'running', 'resume-failed': 'suspended', crash: 'crashed' } },
  },
  on: {
    start: { guard: 'vm is halted or crashed', target: '.starting' },
    pause: { guard: 'vm is running', target: '.paused' },
    unpause: { guard: 'vm is paused', target: '.running' },
    shutdown: { guard: 'vm is running', target: '.halting' },
    kill: { guard: 'vm is powered on', target: '.halted' },
    suspend: { guard: 'vm is running or paused', target: '.suspending' },
    resume: { guard: 'vm is suspended', target: '.resuming' },
  },
});

/** Why `command` is refused in `state`, as Qubes' exceptions say it. */
export function refusal(command: VmCommand, state: PowerState): string {
  if (state === 'suspended' && command !== 'resume') return 'Domain is suspended (resume it first)';
  if (command === 'resume') return state === 'halted' || state === 'crashed' ? 'Domain is powered off' : 'Domain is not suspended';
  if (command === 'start') return state === 'paused' ? 'Domain is paused' : 'Domain is already running';
  if (command === 'unpause') return 'Domain is not paused';
  if (state === 'halted' || state === 'crashed') return 'Domain is powered off';
  if (state === 'paused') return 'Domain is paused';
  return `Domain is ${state}`;
}
