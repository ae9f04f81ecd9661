/**
 * The vCPU lifecycle as an xstate machine: stopped → runnable ⇄ running → blocked → runnable,
 * any live state ⇄ paused, anything → stopped. The scheduler drives it; a refused event is a bug.
 */
import { setup } from 'xstate';

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
  guards: {
    'was blocked and not woken': ({ context }) => context.blockedBeforePause && !context.wokenWhilePaused,
  },
}).createMachine({
  id: 'vcpu',
  initial: 'stopped',
  context: { wokenWhilePaused: false, blockedBeforePause: false },
  states: {
    stopped: { on: { start: 'runnable' } },
    runnable: {
      on: {
        schedule: 'running',
        pause: { target: 'paused', actions: ({ context }) => Object.assign(context, { blockedBeforePause: false, wokenWhilePaused: false }) },
      },
    },
    running: {
      on: {
        preempt: 'runnable',
        block: 'blocked',
        pause: { target: 'paused', actions: ({ context }) => Object.assign(context, { blockedBeforePause: false, wokenWhilePaused: false }) },
      },
    },
    blocked: {
      on: {
        wake: 'runnable',
        pause: { target: 'paused', actions: ({ context }) => Object.assign(context, { blockedBeforePause: true, wokenWhilePaused: false }) },
      },
    },
    paused: {
      on: {
        wake: { actions: ({ context }) => Object.assign(context, { wokenWhilePaused: true }) },
        unpause: [{ guard: 'was blocked and not woken', target: 'blocked' }, { target: 'runnable' }],
      },
    },
  },
  on: { stop: '.stopped' },
});

export type VcpuRunState = 'stopped' | 'runnable' | 'running' | 'blocked' | 'paused';
