/** /api/v1/vms/{name}/start|pause|unpause|shutdown|kill, console and stats. */
import type { Manager } from '../../vmm/manager.js';
import type { VmCommand } from '../../vmm/lifecycle/vm-machine.js';
import { ConsoleOutput, ConsoleQuery, ShutdownBody, VmStats } from '../schemas/lifecycle.js';
import { EventChannelList, GrantReport } from '../schemas/xen.js';
import { problems } from '../schemas/problem.js';
import { Vm, VmNameParam } from '../schemas/vm.js';
import { onVm } from '../admin-check.js';
import type { ZodApp } from './types.js';

const ACTIONS: { action: Exclude<VmCommand, 'shutdown'>; method: string; summary: string }[] = [
  { action: 'start', method: 'admin.vm.Start', summary: 'Start a halted VM (admin.vm.Start)' },
  { action: 'pause', method: 'admin.vm.Pause', summary: 'Pause a running VM: its vCPUs stop, memory stays (admin.vm.Pause)' },
  { action: 'unpause', method: 'admin.vm.Unpause', summary: 'Unpause a paused VM (admin.vm.Unpause)' },
  { action: 'kill', method: 'admin.vm.Kill', summary: 'Destroy a VM at once (admin.vm.Kill)' },
];

const decoder = new TextDecoder();

/** A console followed from before the websocket upgrade: output that arrives meanwhile waits in `early`. */
interface ConsoleFollower {
  sink: (bytes: Uint8Array) => void;
  readonly early: Uint8Array[];
  follow: { tail: { data: Uint8Array }; unfollow: () => void } | undefined;
}

const consoleFollowers = new WeakMap<object, ConsoleFollower>();

function runAction(manager: Manager, action: Exclude<VmCommand, 'shutdown'>, name: string) {
  switch (action) {
    case 'start':
      return manager.execute({ type: 'vm.start', name });
    case 'pause':
      return manager.execute({ type: 'vm.pause', name });
    case 'unpause':
      return manager.execute({ type: 'vm.unpause', name });
    case 'kill':
      return manager.execute({ type: 'vm.kill', name });
  }
}

export function lifecycleRoutes(app: ZodApp, manager: Manager): void {
  for (const { action, method, summary } of ACTIONS) {
    app.post(`/api/v1/vms/:name/${action}`, {
      config: { admin: onVm(method) },
      schema: {
        operationId: `${action}Vm`,
        tags: ['lifecycle'],
        summary,
        description: 'An action the VM’s state does not allow is 409 INVALID_STATE with the state in `details.state`.',
        params: VmNameParam,
        response: { 200: Vm, ...problems(400, 401, 404, 409, 422) },
      },
      handler: (req) => runAction(manager, action, req.params.name),
    });
  }

  app.post('/api/v1/vms/:name/shutdown', {
    config: {
      admin: onVm('admin.vm.Shutdown', (req) => {
        const body = (req.body ?? {}) as { force?: boolean; wait?: boolean };
        return `${body.force ? '+force' : ''}${body.wait ? '+wait' : ''}`;
      }),
    },
    schema: {
      operationId: 'shutdownVm',
      tags: ['lifecycle'],
      summary: 'Ask the guest to shut down; it is killed after the timeout (admin.vm.Shutdown)',
      params: VmNameParam,
      body: ShutdownBody,
      response: { 200: Vm, ...problems(400, 401, 404, 409, 413, 415) },
    },
    handler: (req) => {
      const body = req.body;
      return manager.execute({ type: 'vm.shutdown', name: req.params.name, wait: body.wait, timeout: body.timeout, force: body.force });
    },
  });

  app.route({
    method: 'GET',
    url: '/api/v1/vms/:name/console',
    config: { admin: onVm('admin.vm.Console') },
    schema: {
      operationId: 'getConsole',
      tags: ['lifecycle'],
      summary: 'The tail of the guest console; upgrade to a websocket to follow it',
      description:
        'As a websocket: first the kept tail, then every new chunk of output as a text message, until the VM stops ' +
        '(close code 1000) or the client goes. A halted VM refuses the upgrade with 409.',
      params: VmNameParam,
      querystring: ConsoleQuery,
      response: { 200: ConsoleOutput, ...problems(400, 401, 404, 409) },
    },
    handler: async (req) => {
      const out = await manager.execute({ type: 'vm.console', name: req.params.name, tail: req.query.tail });
      return { data: decoder.decode(out.data), total_bytes: out.total, dropped_bytes: out.dropped };
    },
    // Following starts before the upgrade, so that a VM with no console (halted, unknown) is an HTTP refusal (409, 404).
    preHandler: async (req) => {
      if (!req.ws) return;
      const early: Uint8Array[] = [];
      const follower: ConsoleFollower = { sink: (bytes) => early.push(bytes), early, follow: undefined };
      const follow = await manager.execute({ type: 'vm.console.follow', name: req.params.name, listener: (b) => follower.sink(b) });
      follower.follow = follow;
      req.raw.socket.once('close', follow.unfollow); // also when the upgrade never completes
      consoleFollowers.set(req.raw, follower);
    },
    wsHandler: (socket, req) => {
      const name = (req.params as { name: string }).name;
      const follower = consoleFollowers.get(req.raw);
      consoleFollowers.delete(req.raw);
      if (follower?.follow === undefined) return socket.close(1011, 'console not followed');
      const send = (bytes: Uint8Array) => socket.readyState === socket.OPEN && socket.send(decoder.decode(bytes));
      const { tail, unfollow } = follower.follow;
      if (tail.data.length > 0) send(tail.data);
      follower.early.forEach(send);
      follower.sink = send;
      socket.on('close', unfollow);
      const stopped = manager.events.subscribe((e) => {
        if (e.subject === name && e.event === 'domain-shutdown') socket.close(1000, 'domain stopped');
      });
      socket.on('close', stopped);
    },
  });

  app.get('/api/v1/vms/:name/event-channels', {
    config: { admin: onVm('admin.vm.Stats', () => '+event-channels') },
    schema: {
      operationId: 'listEventChannels',
      tags: ['lifecycle'],
      summary: "A running VM's event-channel ports, as lsevtchn shows them",
      params: VmNameParam,
      response: { 200: EventChannelList, ...problems(400, 401, 404, 409) },
    },
    handler: (req) => manager.execute({ type: 'vm.evtchn', name: req.params.name }),
  });

  app.get('/api/v1/vms/:name/grants', {
    config: { admin: onVm('admin.vm.Stats', () => '+grants') },
    schema: {
      operationId: 'listGrants',
      tags: ['lifecycle'],
      summary: "A running VM's grant table, pinned entries and mappings (Xen's grant debug key)",
      params: VmNameParam,
      response: { 200: GrantReport, ...problems(400, 401, 404, 409) },
    },
    handler: (req) => manager.execute({ type: 'vm.grants', name: req.params.name }),
  });

  app.get('/api/v1/vms/:name/stats', {
    config: { admin: onVm('admin.vm.Stats') },
    schema: {
      operationId: 'getStats',
      tags: ['lifecycle'],
      summary: 'Counters of a VM: instructions, virtual and host CPU time, touched memory, syscalls and exits',
      params: VmNameParam,
      response: { 200: VmStats, ...problems(400, 401, 404) },
    },
    handler: (req) => manager.execute({ type: 'vm.stats', name: req.params.name }),
  });
}
