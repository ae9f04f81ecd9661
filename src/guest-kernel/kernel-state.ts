/**
 * A VM's PV-kernel state as plain data: its vCPUs, the kernel process, the console, the in-memory
 * files, the kernel objects (pipes, open files), the processes (their memories go in sections of
 * their own), the jobs, the services, the qrexec agent with its calls, and the guest's qrexec
 * calls. The shape is checked with zod before anything is restored; what each field may hold for
 * the VM (its RAM, ports, grant refs, console; the deep parts too) is checked by snapshot/checks/
 * first, and a resume that still fails in the restore code is rolled back.
 */
import { z } from 'zod';
import { kernelObjectsStateSchema } from './kernel-objects.js';
import { jobTableStateSchema } from './jobs.js';
import { processTableStateSchema } from './process-table.js';

const vcpuStateSchema = z.object({
  pc: z.number().int(),
  x: z.array(z.number().int()).length(32),
  csr: z.object({
    mstatus: z.number().int(), mtvec: z.number().int(), mepc: z.number().int(), mcause: z.number().int(), mtval: z.number().int(),
    mscratch: z.number().int(), mie: z.number().int(), mip: z.number().int(), mhartid: z.number().int(),
  }),
  instret: z.number().int().min(0),
});

export const kernelStateSchema = z.object({
  vcpus: z.array(z.object({
    vcpu: vcpuStateSchema,
    live: z.boolean(),
    /** xstate's persisted snapshot of the vCPU machine (paused, remembering whether it was blocked); absent in older files. */
    machine: z.object({ value: z.unknown(), context: z.unknown() }).passthrough().optional(),
  })),
  process: z.object({
    brk: z.object({ start: z.number().int(), current: z.number().int(), limit: z.number().int() }),
    random: z.unknown(),
    epochNs: z.number(),
    exitStatus: z.number().int().nullable(),
    syscalls: z.record(z.string(), z.number()),
    unknown: z.record(z.string(), z.number()),
  }),
  console: z.object({ capacity: z.number().int().positive(), total: z.number().int().min(0), data: z.string() }),
  files: z.array(z.tuple([z.string(), z.string()])),
  watches: z.array(z.object({ path: z.string(), token: z.string() })),
  pendingWake: z.number().int().min(0),
  shutdownRequested: z.boolean(),
  exitsByReason: z.record(z.string(), z.number()),
  objects: kernelObjectsStateSchema,
  processes: processTableStateSchema,
  jobs: jobTableStateSchema,
  services: z.object({ nextSeed: z.number().int() }),
  agent: z.object({
    control: z.object({ end: z.unknown(), link: z.unknown() }),
    nextIdent: z.number().int().positive(),
    frames: z.object({ base: z.number().int(), frames: z.number().int().positive(), used: z.array(z.number().int()) }),
    slots: z.object({ base: z.number().int(), frames: z.number().int().positive(), used: z.array(z.number().int()) }),
    served: z.array(z.record(z.string(), z.unknown())),
    own: z.array(z.record(z.string(), z.unknown())),
    closedServers: z.array(z.unknown()),
  }),
  guestCalls: z.object({
    next: z.number().int().positive(),
    calls: z.array(z.object({ id: z.number().int().positive(), ident: z.string(), exit: z.number().int().nullable(), refused: z.boolean().optional(), relays: z.array(z.number().int().positive()).optional() })),
  }),
});
export type KernelState = z.infer<typeof kernelStateSchema>;
