/**
 * The parts of a kernel section that describe running code, with their bounds: a vCPU (pc inside
 * its RAM and aligned, 32-bit registers, x0 zero, its hart id), a PV process (program break inside
 * its RAM and below its limit, a random generator that is not the all-zero state), the kernel
 * objects, the process table and the jobs (ids below their counters, memories of a process's size).
 */
import { z } from 'zod';
import { stageSchema } from '../../../guest-kernel/jobs.js';
import { PROCESS_MEMORY_MIB } from '../../../guest-kernel/process-table.js';
import type { AddressMap } from './address-map.js';
import { base64, count, decodedLength, distinct, forward, int32, positiveId, u32, where, type VmBounds } from './bounds.js';

const MIB = 1024 * 1024;
/** A pipe's buffer at most (what a pipe may hold, and the largest capacity a saved one may claim). */
const MAX_PIPE = 16 * MIB;

const hex = (v: number): string => `0x${(v >>> 0).toString(16)}`;

/** A vCPU of an address space: its pc on a page the space maps. */
export function vcpuStateSchema(space: AddressMap, hart: number) {
  return z.strictObject({
    pc: where(
      where(u32, (pc) => space.maps(pc), (pc) => `${hex(pc)} is on no page its address space maps`),
      (pc) => pc % 4 === 0,
      () => 'not 4-byte aligned (RV32IM has no compressed instructions)',
    ),
    x: where(z.array(int32).length(32, 'not 32 registers'), (x) => x[0] === 0, () => 'x0 is not zero'),
    csr: z.strictObject({
      mstatus: int32, mtvec: int32, mepc: int32, mcause: int32, mtval: int32, mscratch: int32, mie: int32, mip: int32,
      mhartid: z.literal(hart, `not hart ${hart}`),
    }),
    instret: count,
  });
}

/**
 * A PV process's own state in its address space over `ramBytes` of memory: the break's pages up to
 * its current top mapped, and no longer than the memory; `brk` must be the one it runs with when
 * that is known (a warm resume).
 */
export function pvProcessSchema(space: AddressMap, ramBytes: number, liveBrk: VmBounds['liveBrk']) {
  const brk = where(
    z.strictObject({ start: u32, current: u32, limit: u32 }),
    (b) => b.start <= b.current && b.current <= b.limit,
    (b) => (b.current > b.limit ? `current ${hex(b.current)} is above its limit ${hex(b.limit)}` : `current ${hex(b.current)} is below its start`),
  );
  const fixed = liveBrk === null ? brk : where(brk, (b) => b.start === liveBrk.start && b.limit === liveBrk.limit, () => `start and limit are not those the kernel runs with (${hex(liveBrk.start)}, ${hex(liveBrk.limit)})`);
  const sized = where(fixed, (b) => b.limit - b.start <= ramBytes, (b) => `limit ${hex(b.limit)} leaves more than the ${ramBytes} bytes of memory for the break`);
  return z.strictObject({
    brk: where(sized, (b) => space.mapsRange(b.start, b.current), (b) => `the break ${hex(b.start)}…${hex(b.current)} is not all mapped`),
    random: where(z.tuple([u32, u32, u32, u32]), (s) => s.some((w) => w !== 0), () => 'the all-zero state (xoshiro128** would give zeros forever)'),
    epochNs: z.number().min(0, 'negative').refine(Number.isFinite, 'not finite'),
    exitStatus: int32.nullable(),
    syscalls: z.record(z.string().regex(/^\d{1,10}$/, 'not a call number'), count),
    unknown: z.record(z.string().regex(/^\d{1,10}$/, 'not a call number'), count),
  });
}

/** An endpoint a fd, a job or a call names: a kernel object below the objects' counter, or a fixed name. */
export function endpointSchema(next: number) {
  const id = z.number().int().min(1).max(next - 1, `not a kernel object (ids are below ${next})`);
  return z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('pipe-r'), id }),
    z.strictObject({ kind: z.literal('pipe-w'), id }),
    z.strictObject({ kind: z.literal('file-in'), id }),
    z.strictObject({ kind: z.literal('file-out'), id }),
    z.strictObject({ kind: z.literal('console') }),
    z.strictObject({ kind: z.literal('empty') }),
    z.strictObject({ kind: z.literal('sink') }),
  ]);
}

export const objectsSchema = where(
  z.strictObject({
    next: positiveId,
    pipes: distinct(
      where(
        z.strictObject({ id: positiveId, pipe: z.strictObject({ capacity: z.number().int().min(1).max(MAX_PIPE), data: base64(MAX_PIPE), writerClosed: z.boolean(), readerClosed: z.boolean() }) }),
        (p) => decodedLength(p.pipe.data) <= p.pipe.capacity,
        () => 'pipe.data: more bytes than its capacity',
      ),
      (p) => p.id, 'pipe id',
    ),
    fileIns: distinct(z.strictObject({ id: positiveId, data: base64(256 * MIB) }), (f) => f.id, 'file id'),
    fileOuts: distinct(z.strictObject({ id: positiveId, path: z.string().min(1).max(4096), data: base64(256 * MIB), closed: z.boolean() }), (f) => f.id, 'file id'),
  }),
  (o) => [...o.pipes, ...o.fileIns, ...o.fileOuts].every((x) => x.id < o.next),
  (o) => `an object id is not below next (${o.next})`,
);

export function processTableSchema(vmRamBytes: number, objectsNext: number, spaceOf: (pid: number) => AddressMap) {
  const largest = Math.min(PROCESS_MEMORY_MIB, vmRamBytes / MIB) * MIB;
  const ref = endpointSchema(objectsNext);
  const fd = z.number().int().min(0).max(1023, 'beyond fd 1023');
  const memoryBytes = z.number().int().min(MIB).max(largest, `above ${largest} bytes (a process has at most ${PROCESS_MEMORY_MIB} MiB, never more than the VM)`)
    .refine((n) => n % MIB === 0, 'not a whole number of MiB');
  // the vCPU and the break are checked against the process's own memory
  const entry = (bytes: number, space: AddressMap) => z.strictObject({
    pid: positiveId,
    name: z.string().max(256),
    memoryBytes,
    vcpu: vcpuStateSchema(space, 0),
    pv: pvProcessSchema(space, bytes, null),
    fds: z.strictObject({ inputs: z.array(z.tuple([fd, ref])).max(1024), outputs: z.array(z.tuple([fd, ref])).max(1024), closeOnExit: z.array(ref).max(3072) }),
  });
  const processSchema = z.looseObject({ pid: positiveId, memoryBytes }).superRefine((p, ctx) => forward(ctx, entry(p.memoryBytes, spaceOf(p.pid)).safeParse(p)));
  return where(
    z.strictObject({ nextPid: positiveId, processes: distinct(processSchema, (p) => p.pid, 'pid', 4096) }),
    (t) => t.processes.every((p) => p.pid < t.nextPid),
    (t) => `a pid is not below nextPid (${t.nextPid})`,
  );
}

export function jobTableSchema(objectsNext: number, pids: ReadonlySet<number>) {
  const ref = endpointSchema(objectsNext);
  const common = { id: positiveId, parent: positiveId.nullable(), close: z.array(ref).max(4096) };
  const job = z.discriminatedUnion('kind', [
    z.strictObject({ kind: z.literal('write'), ...common, pieces: z.array(z.strictObject({ to: ref, data: base64(MAX_PIPE) })).max(4096), status: int32 }),
    z.strictObject({ kind: z.literal('copy'), ...common, from: ref, to: ref, held: base64(MAX_PIPE) }),
    z.strictObject({ kind: z.literal('process'), ...common, pid: where(positiveId, (p) => pids.has(p), (p) => `pid ${p} is not a process of the table`) }),
    z.strictObject({
      kind: z.literal('shell'), ...common,
      call: z.strictObject({ source: z.string().max(256), service: z.string().max(1024), argument: z.string().max(1024) }),
      io: z.strictObject({ stdin: ref, stdout: ref, stderr: ref }),
      line: base64(MIB).nullable(),
      children: z.array(positiveId).max(4096),
      last: positiveId.nullable(),
      lastStatus: int32.nullable(),
      rest: z.array(z.strictObject({ op: z.enum([';', '&&', '||']), stages: z.array(stageSchema).max(4096) })).max(4096).optional(),
    }),
  ]);
  return where(
    z.strictObject({ next: positiveId, jobs: distinct(job, (j) => j.id, 'job id', 65_536) }),
    (t) => t.jobs.every((j) => j.id < t.next && (j.parent === null || t.jobs.some((p) => p.id === j.parent))),
    (t) => `a job id is not below next (${t.next}), or a job's parent is not there`,
  );
}

