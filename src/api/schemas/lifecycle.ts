/** Schemas of lifecycle actions, console and stats. */
import { z } from 'zod';

export const ShutdownBody = z
  .strictObject({
    wait: z.boolean().default(false).describe('Answer only once the VM has halted (or was killed at the timeout)'),
    timeout: z.number().int().min(1).max(86_400).optional().describe("Seconds before the VM is killed; the VM's shutdown_timeout when absent"),
    force: z.boolean().default(false).describe('Shut down even if other VMs depend on it (Qubes --force)'),
  })
  .meta({ id: 'ShutdownRequest' });

export const ConsoleQuery = z.strictObject({
  tail: z.coerce.number().int().min(0).max(16 * 1024 * 1024).default(4096).describe('At most this many of the last bytes'),
});

export const ConsoleOutput = z
  .object({
    data: z.string().describe('The last bytes of the guest console (stdout and stderr), decoded as UTF-8'),
    total_bytes: z.number().int().describe('Bytes the guest wrote since it started'),
    dropped_bytes: z.number().int().describe('Bytes that fell out of the console buffer (console_buffer property)'),
  })
  .meta({ id: 'ConsoleOutput' });

const counts = z.record(z.string(), z.number().int());

export const VmStats = z
  .object({
    state: z.string(),
    domid: z.number().int().nullable().describe('Domain id while running'),
    instructions: z.number().int().describe('Instructions retired by all vCPUs'),
    virtual_time_ns: z.number().int().describe('Guest virtual time (10 ns per instruction)'),
    host_cpu_ms: z.number().describe('Host time spent running the vCPUs'),
    memory_bytes: z.number().int().describe('Guest RAM size'),
    memory_touched_bytes: z.number().int().describe('Guest RAM the guest has written (host memory it costs)'),
    console_bytes: z.number().int(),
    syscalls: counts.describe('Completed syscalls and hypercalls by number'),
    unknown_syscalls: counts.describe('Calls answered -ENOSYS, by number'),
    exits: counts.describe('vCPU exits by reason'),
    vcpus: z.array(z.object({ id: z.number().int(), state: z.string(), instructions: z.number().int(), pc: z.number().int() })),
    last_exit: z
      .object({
        kind: z.enum(['shutdown', 'crashed']),
        status: z.number().int().optional(),
        reason: z.string().optional(),
        cause: z.number().int().optional(),
        pc: z.number().int().optional(),
        tval: z.number().int().optional(),
      })
      .nullable()
      .describe('How the guest last ended (crash cause, pc and address kept)'),
  })
  .meta({ id: 'VmStats' });

export const StatsQuery = z.strictObject({
  interval_ms: z.coerce.number().int().min(250).max(60_000).default(1000).describe('Websocket only: milliseconds between samples'),
});

export const HostStats = z
  .object({
    at: z.number().int().describe('When the sample was taken (milliseconds since the epoch)'),
    vms: z.array(
      z.object({
        name: z.string(),
        class: z.string(),
        state: z.string(),
        instructions: z.number().int().describe('Instructions retired by its vCPUs since its domain was built (0 without one)'),
        host_cpu_ms: z.number().describe('Host time its vCPUs ran'),
        memory_bytes: z.number().int().describe('Guest RAM of its domain (0 without one)'),
      }),
    ),
  })
  .meta({ id: 'HostStats' });

export const HostView = z
  .object({
    mode: z.enum(['workers', 'event-loop']).describe("`workers`: each CPU is a worker thread (CELLA_CPUS); `event-loop`: vCPUs run on the manager's own thread"),
    host_cpus: z.number().int().describe("The host's available parallelism"),
    cpus: z.array(
      z.object({
        cpu: z.number().int(),
        load: z.number().describe('Share of host time its worker ran guest code since it started (0..1); 0 without workers'),
        worker_instructions: z.number().int().describe('Instructions its vCPUs ran on its worker thread'),
        main_instructions: z.number().int().describe('Instructions its vCPUs ran on the main thread between their exits (chatty vCPUs, with fewer than 50,000 instructions between exits on average); without workers, all of them'),
        running: z.object({ vm: z.string(), vcpu: z.number().int() }).nullable().describe('The vCPU on the CPU now'),
        vcpus: z.array(z.object({ vm: z.string(), vcpu: z.number().int(), state: z.string(), instructions: z.number().int() })).describe('The vCPUs bound to the CPU (xl vcpu-list)'),
      }),
    ),
    vms: z.array(
      z.object({
        name: z.string(),
        cpu: z.number().int().describe('The CPU its vCPUs run on'),
        host_cpu_ms: z.number().describe('Host time its vCPUs ran'),
        cpu_percent: z.number().describe('Its share of one host CPU over the last second (xentop CPU%)'),
      }),
    ),
  })
  .meta({ id: 'HostView' });
