/** /api/v1/stats: every VM's counters at once (HTTP), or a sample every interval_ms (websocket on the same path). */
import type { WebSocket } from 'ws';
import type { Manager } from '../../vmm/manager.js';
import { global } from '../admin-check.js';
import { MAX_BUFFERED_BYTES } from '../event-stream.js';
import { HostStats, HostView, StatsQuery } from '../schemas/lifecycle.js';
import { problems } from '../schemas/problem.js';
import type { ZodApp } from './types.js';

async function sample(manager: Manager, caller: string) {
  const vms = await manager.execute({ type: 'host.counters', caller });
  return {
    at: Date.now(),
    vms: vms.map((vm) => ({
      name: vm.name, class: vm.klass, state: vm.state, instructions: vm.instructions,
      host_cpu_ms: vm.hostCpuSeconds * 1000, memory_bytes: vm.memoryBytes,
    })),
  };
}

/** Sends a sample at once and then every interval until the socket closes; a reader that lags skips samples. */
function streamStats(socket: WebSocket, manager: Manager, caller: string, intervalMs: number): void {
  let busy = false;
  const tick = () => {
    if (busy || socket.readyState !== socket.OPEN || socket.bufferedAmount > MAX_BUFFERED_BYTES) return;
    busy = true;
    sample(manager, caller)
      .then((s) => socket.readyState === socket.OPEN && socket.send(JSON.stringify(s)))
      .catch((err: unknown) => socket.close(1011, err instanceof Error ? err.message.slice(0, 100) : 'stats failed'))
      .finally(() => (busy = false));
  };
  tick();
  const timer = setInterval(tick, intervalMs);
  socket.on('close', () => clearInterval(timer));
}

export function statsRoutes(app: ZodApp, manager: Manager): void {
  app.route({
    method: 'GET',
    url: '/api/v1/stats',
    config: { admin: global('admin.vm.List') },
    schema: {
      operationId: 'listStats',
      tags: ['lifecycle'],
      summary: "Every VM's counters (instructions, host CPU time, memory); upgrade to a websocket for a sample every interval_ms",
      description:
        'A management VM sees the VMs it may call admin.vm.Stats on. As a websocket: a HostStats message at once and then every ' +
        '`interval_ms`; rates are the differences between samples. A reader too slow to keep up skips samples.',
      querystring: StatsQuery,
      response: { 200: HostStats, ...problems(400, 401) },
    },
    handler: (req) => sample(manager, req.caller),
    wsHandler: (socket, req) => streamStats(socket, manager, req.caller, (req.query as { interval_ms: number }).interval_ms),
  });
  app.route({
    method: 'GET',
    url: '/api/v1/host',
    config: { admin: global('admin.vm.List') },
    schema: {
      operationId: 'getHost',
      tags: ['lifecycle'],
      summary: 'The host CPUs vCPUs run on: load, the vCPUs bound to each, and each VM\'s CPU% (xl vcpu-list, xentop)',
      description: 'A management VM sees the VMs it may call admin.vm.Stats on.',
      response: { 200: HostView, ...problems(401) },
    },
    handler: (req) => manager.execute({ type: 'host.view', caller: req.caller }),
  });
}
