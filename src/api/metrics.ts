/**
 * GET /metrics in Prometheus' text format (prom-client): VMs by state, per-VM instructions, host
 * CPU time and guest memory, qrexec calls by result, policy decisions, the process (CPU, memory,
 * event-loop lag) and an HTTP latency histogram. dom0 only, like every route not in the admin API.
 */
import type { FastifyInstance } from 'fastify';
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { CellaEvent } from '../vmm/events/event-log.js';
import type { Manager } from '../vmm/manager.js';
import type { ZodApp } from './routes/types.js';

/** The process metrics are one per process: every app in it shares them. */
let processRegistry: Registry | undefined;
function processMetrics(): Registry {
  if (processRegistry === undefined) {
    processRegistry = new Registry();
    collectDefaultMetrics({ register: processRegistry });
  }
  return processRegistry;
}

/** How a qrexec call ended, as a label. */
function callResult(p: Record<string, unknown>): string {
  if (p.decision === 'deny') return 'refused';
  if (typeof p.error === 'string' && p.error !== '') return 'failed';
  return p.exit_code === 0 ? 'ok' : 'nonzero';
}

function vmMetrics(registry: Registry, manager: Manager): void {
  const counters = () => manager.execute({ type: 'host.counters' });
  new Gauge({
    name: 'cella_vms', help: 'VMs by power state and class', labelNames: ['state', 'class'], registers: [registry],
    async collect() {
      this.reset();
      for (const vm of await counters()) this.inc({ state: vm.state, class: vm.klass });
    },
  });
  const perVm = (name: string, help: string, value: (vm: Awaited<ReturnType<typeof counters>>[number]) => number) =>
    new Gauge({
      name, help, labelNames: ['vm'], registers: [registry],
      async collect() {
        this.reset();
        for (const vm of await counters()) if (vm.memoryBytes > 0) this.set({ vm: vm.name }, value(vm));
      },
    });
  perVm('cella_vm_instructions_total', 'Instructions retired by the VM’s vCPUs since its domain was built', (vm) => vm.instructions);
  perVm('cella_vm_host_cpu_seconds_total', 'Host CPU time the VM’s vCPUs ran', (vm) => vm.hostCpuSeconds);
  perVm('cella_vm_memory_bytes', 'Guest RAM of the VM’s domain', (vm) => vm.memoryBytes);
}

function qrexecMetrics(registry: Registry, manager: Manager): () => void {
  const calls = new Counter({ name: 'cella_qrexec_calls_total', help: 'qrexec calls that ended, by result', labelNames: ['result'], registers: [registry] });
  const decisions = new Counter({ name: 'cella_policy_decisions_total', help: 'qrexec policy decisions', labelNames: ['decision'], registers: [registry] });
  return manager.events.subscribe((e: CellaEvent) => {
    if (e.event === 'qrexec-call') {
      calls.inc({ result: callResult(e.payload) });
      if (typeof e.payload.decision === 'string') decisions.inc({ decision: e.payload.decision });
    } else if (e.event === 'qrexec-ask') decisions.inc({ decision: 'ask' });
  });
}

export function metricsRoutes(app: ZodApp, manager: Manager): void {
  const registry = new Registry();
  vmMetrics(registry, manager);
  const unsubscribe = qrexecMetrics(registry, manager);
  const latency = new Histogram({
    name: 'cella_http_request_duration_seconds', help: 'HTTP request latency by route and status',
    labelNames: ['method', 'route', 'status'], buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 10],
    registers: [registry],
  });
  const fastify = app as unknown as FastifyInstance;
  fastify.addHook('onResponse', async (req, reply) => {
    latency.observe({ method: req.method, route: req.routeOptions.url ?? 'unmatched', status: String(reply.statusCode) }, reply.elapsedTime / 1000);
  });
  fastify.addHook('onClose', async () => unsubscribe());
  const merged = Registry.merge([processMetrics(), registry]);
  app.get('/metrics', { schema: { hide: true } }, async (_req, reply) =>
    reply.header('content-type', merged.contentType).send(await merged.metrics()),
  );
}
