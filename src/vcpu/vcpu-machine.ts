/**
 * The vCPU lifecycle as an xstate machine: stopped → runnable ⇄ running → blocked → runnable,
 * any live state ⇄ paused, anything → stopped. A vCPU paused while blocked goes back to blocked
 * on unpause unless it was woken meanwhile. The scheduler drives it (through vcpu-state-table.ts).
 */
import { assign, setup } from 'xstate';

export type VcpuEvent =
  | { type: 'start' }
  | { type: 'schedule' }
  | { type: 'preempt' }
  | { type: 'block' }
  | { type: 'wake' }
  | { type: 'pause' }
  | { type: 'unpause' }
  | { type: 'stop' };

export const vcpuMachine = setup({
  types: { events: {} as VcpuEvent, context: {} as { wokenWhilePaused: boolean; blockedBeforePause: boolean } },
  actions: {
    'remember it ran': assign({ blockedBeforePause: false, wokenWhilePaused: false }),
    'remember it was blocked': assign({ blockedBeforePause: true, wokenWhilePaused: false }),
    'remember the wake-up': assign({ wokenWhilePaused: true }),
    forget: assign({ blockedBeforePause: false, wokenWhilePaused: false }),
  },
  guards: {
    'was blocked and not woken': ({ context }) => context.blockedBeforePause && !context.wokenWhilePaused,
  },
}).createMachine({
  id: 'vcpu',
  initial: 'stopped',
  context: { wokenWhilePaused: false, blockedBeforePause: false },
  states: {
    stopped: { entry: 'forget', on: { start: 'runnable' } },
    runnable: { on: { schedule: 'running', pause: { target: 'paused', actions: 'remember it ran' } } },
    running: { on: { preempt: 'runnable', block: 'blocked', pause: { target: 'paused', actions: 'remember it ran' } } },
    blocked: { on: { wake: 'runnable', pause: { target: 'paused', actions: 'remember it was blocked' } } },
    paused: {
      on: {
        wake: { actions: 'remember the wake-up' },
        unpause: [
          { guard: 'was blocked and not woken', target: 'blocked', actions: 'forget' },
          { target: 'runnable', actions: 'forget' },
        ],
      },
    },
  },
  on: { stop: '.stopped' },
});

export type VcpuRunState = 'stopped' | 'runnable' | 'running' | 'blocked' | 'paused';
