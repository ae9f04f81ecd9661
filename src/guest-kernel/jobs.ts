/**
 * Work the PV kernel does for qrexec services, as plain-data machines rather than async code, so a
 * suspend can save a VM in the middle of a call: writing a built-in's output, copying (the shell's
 * `cat`), waiting for a process, and the shell itself (read the command line, run its stages, wait
 * for them). Each job names its endpoints (kernel objects) and steps when one of them changes; when
 * it ends it closes what it was given to close and tells its parent job, or its owner (the agent)
 * for a top-level job.
 */
import { z } from 'zod';
import { endpointRefSchema, type EndpointRef, type KernelObjects } from './kernel-objects.js';
import { closeRef, type ProcessFds, type SpawnFailure } from './process-table.js';
import { parseCommandLine, type ListItem, type Stage } from './vm-shell.js';

/** Who a service runs for: in the environment of its programs. */
const callInfoSchema = z.object({ source: z.string(), service: z.string(), argument: z.string() });
export type CallInfo = z.infer<typeof callInfoSchema>;

export const stageSchema = z.object({
  words: z.array(z.string()),
  stdinFile: z.string().optional(),
  stdoutFile: z.object({ path: z.string(), append: z.boolean() }).optional(),
});

const common = {
  id: z.number().int().positive(),
  parent: z.number().int().positive().nullable(),
  close: z.array(endpointRefSchema),
};

export const jobStateSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('write'), ...common, pieces: z.array(z.object({ to: endpointRefSchema, data: z.string() })), status: z.number().int() }),
  z.object({ kind: z.literal('copy'), ...common, from: endpointRefSchema, to: endpointRefSchema, held: z.string() }),
  z.object({ kind: z.literal('process'), ...common, pid: z.number().int().positive() }),
  z.object({
    kind: z.literal('shell'), ...common,
    call: callInfoSchema,
    io: z.object({ stdin: endpointRefSchema, stdout: endpointRefSchema, stderr: endpointRefSchema }),
    /** The command line read so far (base64), while it is being read; null once it runs. */
    line: z.string().nullable(),
    children: z.array(z.number().int().positive()),
    last: z.number().int().positive().nullable(),
    lastStatus: z.number().int().nullable(),
    /** The pipelines of the list still to come after the one running (`a; b && c`). */
    rest: z.array(z.object({ op: z.enum([';', '&&', '||']), stages: z.array(stageSchema) })).default([]),
  }),
]);
export type JobState = z.infer<typeof jobStateSchema>;

export const jobTableStateSchema = z.object({ next: z.number().int().positive(), jobs: z.array(jobStateSchema) });
export type JobTableState = z.infer<typeof jobTableStateSchema>;

/** What jobs need of the VM: its objects, and starting its image's programs. */
export interface JobHost {
  readonly objects: KernelObjects;
  /** Starts program `argv[0]` of the image: its pid, why it failed, or null when the image has no such program. */
  spawn(argv: string[], fds: ProcessFds, call: CallInfo): number | SpawnFailure | null;
}

const encoder = new TextEncoder();
const b64 = (bytes: Uint8Array) => Buffer.from(bytes).toString('base64');
const bytesOf = (s: string) => new Uint8Array(Buffer.from(s, 'base64'));
const CHUNK = 64 * 1024;
const sameRef = (a: EndpointRef, b: EndpointRef) => a.kind === b.kind && ('id' in a ? 'id' in b && a.id === b.id : true);

type WriteJob = Extract<JobState, { kind: 'write' }> & { bytes: { to: EndpointRef; data: Uint8Array }[] };
type CopyJob = Extract<JobState, { kind: 'copy' }> & { buf: Uint8Array };
type ProcessJob = Extract<JobState, { kind: 'process' }>;
type ShellJob = Extract<JobState, { kind: 'shell' }> & { got: number[] | null };
type Job = WriteJob | CopyJob | ProcessJob | ShellJob;

export class JobTable {
  private next = 1;
  private readonly jobs = new Map<number, Job>();
  /** A top-level job ended (the agent sends the exit code of its call). */
  onDone: (id: number, status: number) => void = () => undefined;

  constructor(private readonly host: JobHost) {}

  // ---- starting ----

  /** Writes `pieces` in order, closes `close`, ends with `status` (1 when a write fails). */
  write(pieces: { to: EndpointRef; data: Uint8Array }[], status: number, close: EndpointRef[], parent: number | null = null): number {
    const job: WriteJob = { kind: 'write', id: this.next++, parent, close, status, pieces: [], bytes: pieces.filter((p) => p.data.length > 0) };
    return this.add(job);
  }

  /** Copies `from` into `to` until end of file (`cat`). */
  copy(from: EndpointRef, to: EndpointRef, close: EndpointRef[], parent: number | null = null): number {
    return this.add({ kind: 'copy', id: this.next++, parent, close, from, to, held: '', buf: new Uint8Array(0) });
  }

  /** Waits for process `pid`; ends with its exit status. */
  process(pid: number, close: EndpointRef[], parent: number | null = null): number {
    return this.add({ kind: 'process', id: this.next++, parent, close, pid });
  }

  /** qubes.VMShell (no `line`: read from stdin first) or a plain command line: runs it, ends with its status. */
  shell(call: CallInfo, io: { stdin: EndpointRef; stdout: EndpointRef; stderr: EndpointRef }, close: EndpointRef[], line: string | null = null, parent: number | null = null): number {
    const job: ShellJob = { kind: 'shell', id: this.next++, parent, close, call, io, line: '', children: [], last: null, lastStatus: null, rest: [], got: line === null ? [] : null };
    const id = this.add(job);
    if (line !== null) this.runLine(job, line);
    return id;
  }

  // ---- events ----

  /** Whether job `id` has not ended yet. */
  running(id: number): boolean {
    return this.jobs.has(id);
  }

  /** Something an endpoint of a job may be waiting on changed. */
  poke(): void {
    for (const job of [...this.jobs.values()]) if (this.jobs.has(job.id)) this.step(job);
  }

  processExited(pid: number, status: number): void {
    for (const job of [...this.jobs.values()]) if (job.kind === 'process' && job.pid === pid) this.finish(job, status);
  }

  /** Ends every job (the VM goes away): no owner is told. */
  clear(): void {
    this.jobs.clear();
  }

  // ---- suspend ----

  save(): JobTableState {
    return { next: this.next, jobs: [...this.jobs.values()].map((j) => this.saveJob(j)) };
  }

  restore(s: JobTableState): void {
    this.next = s.next;
    for (const j of s.jobs) {
      if (j.kind === 'write') this.jobs.set(j.id, { ...j, pieces: [], bytes: j.pieces.map((p) => ({ to: p.to, data: bytesOf(p.data) })) });
      else if (j.kind === 'copy') this.jobs.set(j.id, { ...j, held: '', buf: bytesOf(j.held) });
      else if (j.kind === 'shell') this.jobs.set(j.id, { ...j, got: j.line === null ? null : [...bytesOf(j.line)] });
      else this.jobs.set(j.id, { ...j });
    }
  }

  private saveJob(j: Job): JobState {
    switch (j.kind) {
      case 'write': {
        const { bytes, ...rest } = j;
        return { ...rest, pieces: bytes.map((p) => ({ to: p.to, data: b64(p.data) })) };
      }
      case 'copy': {
        const { buf, ...rest } = j;
        return { ...rest, held: b64(buf) };
      }
      case 'shell': {
        const { got, ...rest } = j;
        return { ...rest, line: got === null ? null : b64(new Uint8Array(got)) };
      }
      default:
        return { ...j };
    }
  }

  // ---- stepping ----

  /** Takes a job; its first step comes a microtask later, once the caller has noted its id. */
  private add(job: Job): number {
    this.jobs.set(job.id, job);
    queueMicrotask(() => {
      if (this.jobs.get(job.id) === job) this.step(job);
    });
    return job.id;
  }

  private step(job: Job): void {
    if (job.kind === 'write') this.stepWrite(job);
    else if (job.kind === 'copy') this.stepCopy(job);
    else if (job.kind === 'shell' && job.got !== null) this.stepReadLine(job);
  }

  private stepWrite(job: WriteJob): void {
    while (job.bytes.length > 0) {
      const head = job.bytes[0];
      const n = this.host.objects.output(head.to).write(head.data);
      if (n === 'would-block') return;
      if (typeof n !== 'number') return this.finish(job, 1);
      if (n === head.data.length) job.bytes.shift();
      else head.data = head.data.subarray(n);
    }
    this.finish(job, job.status);
  }

  private stepCopy(job: CopyJob): void {
    const from = this.host.objects.input(job.from);
    const to = this.host.objects.output(job.to);
    for (;;) {
      while (job.buf.length > 0) {
        const n = to.write(job.buf);
        if (n === 'would-block') return;
        if (typeof n !== 'number') return this.finish(job, 1);
        job.buf = job.buf.subarray(n);
      }
      const got = from.read(CHUNK);
      if (got === 'eof') return this.finish(job, 0);
      if (got === 'would-block') return;
      if (!(got instanceof Uint8Array)) return this.finish(job, 1);
      job.buf = got.slice();
    }
  }

  /** Reads the command line a byte at a time, so the rest of stdin stays for the command. */
  private stepReadLine(job: ShellJob): void {
    const input = this.host.objects.input(job.io.stdin);
    const got = job.got!;
    for (;;) {
      const r = input.read(1);
      if (r === 'would-block') return;
      if (!(r instanceof Uint8Array) || r[0] === 0x0a) break;
      got.push(r[0]);
    }
    job.got = null;
    this.runLine(job, new TextDecoder().decode(new Uint8Array(got)));
  }

  private runLine(job: ShellJob, line: string): void {
    job.got = null;
    const parsed = parseCommandLine(line);
    if (!parsed.ok) {
      const id = this.write([{ to: job.io.stderr, data: encoder.encode(`sh: ${parsed.error}\n`) }], 2, [], job.id);
      return this.started(job, [id]);
    }
    job.rest = parsed.list;
    job.lastStatus = 0;
    this.nextPipeline(job);
  }

  /** Runs the next pipeline of the list that its operator lets run after the last status; the shell ends when none is left. */
  private nextPipeline(job: ShellJob): void {
    let item: ListItem | undefined;
    while ((item = job.rest.shift())) {
      const status = job.lastStatus ?? 0;
      if (item.op === ';' || (item.op === '&&' && status === 0) || (item.op === '||' && status !== 0)) break;
    }
    if (!item) {
      // as the shell's stdin ends with it (its stages leave it open for the next pipeline)
      closeRef(this.host.objects, job.io.stdin);
      return this.finish(job, job.lastStatus ?? 0);
    }
    this.runPipeline(job, item.stages);
  }

  /** Starts the stages of one pipeline, joined by pipes; the shell's own stdin, stdout and stderr stay open for the next. */
  private runPipeline(job: ShellJob, stages: Stage[]): void {
    const links = stages.slice(1).map(() => this.host.objects.pipe());
    const ids = stages.map((stage, i) => {
      const input: EndpointRef =
        stage.stdinFile !== undefined ? this.host.objects.refOf(this.host.objects.fileInput(stage.stdinFile)) : i === 0 ? job.io.stdin : { kind: 'pipe-r', id: links[i - 1].id };
      const output: EndpointRef =
        stage.stdoutFile !== undefined
          ? this.host.objects.refOf(this.host.objects.fileOutput(stage.stdoutFile.path, stage.stdoutFile.append))
          : i === stages.length - 1 ? job.io.stdout : { kind: 'pipe-w', id: links[i].id };
      return this.stage(stage, job, input, output);
    });
    this.started(job, ids);
  }

  /** The shell's children of one pipeline have been started: it waits for them (some may have ended already). */
  private started(job: ShellJob, ids: number[]): void {
    // children that ended while the pipeline was being set up left their status in `ended`
    job.children = ids.filter((id) => this.jobs.has(id));
    job.last = ids.at(-1) ?? null;
    job.lastStatus = job.last !== null && this.ended.has(job.last) ? this.ended.get(job.last)! : null;
    for (const id of ids) this.ended.delete(id);
    if (job.children.length === 0) this.pipelineEnded(job);
  }

  private pipelineEnded(job: ShellJob): void {
    if (job.lastStatus === null) job.lastStatus = 0;
    this.nextPipeline(job);
  }

  private stage(stage: Stage, shell: ShellJob, input: EndpointRef, output: EndpointRef): number {
    const [cmd, ...args] = stage.words;
    // what a stage closes when it ends: its pipes and files, not the shell's own streams
    const own = [shell.io.stdin, shell.io.stdout, shell.io.stderr];
    const both = [output, input].filter((ref) => !own.some((o) => sameRef(o, ref)));
    const err = shell.io.stderr;
    switch (cmd) {
      case 'true':
        return this.write([], 0, both, shell.id);
      case 'false':
        return this.write([], 1, both, shell.id);
      case 'echo':
        return this.write([{ to: output, data: encoder.encode(`${args.join(' ')}\n`) }], 0, both, shell.id);
      case 'cat': {
        if (args.length === 0) return this.copy(input, output, both, shell.id);
        const pieces: { to: EndpointRef; data: Uint8Array }[] = [];
        for (const path of args) {
          const data = this.host.objects.files.get(path);
          if (!data) {
            pieces.push({ to: err, data: encoder.encode(`cat: ${path}: No such file or directory\n`) });
            return this.write(pieces, 1, both, shell.id);
          }
          pieces.push({ to: output, data });
        }
        return this.write(pieces, 0, both, shell.id);
      }
    }
    const started = this.host.spawn(stage.words, { inputs: [[0, input]], outputs: [[1, output], [2, err]], closeOnExit: both }, shell.call);
    if (started === null) return this.write([{ to: err, data: encoder.encode(`${cmd}: command not found\n`) }], 127, both, shell.id);
    if (typeof started !== 'number') return this.write([{ to: err, data: encoder.encode(`${cmd}: ${started.message}\n`) }], started.status, both, shell.id);
    return this.process(started, [], shell.id);
  }

  /** Statuses of children that ended while their shell was still setting up its pipeline. */
  private readonly ended = new Map<number, number>();

  private finish(job: Job, status: number): void {
    if (!this.jobs.delete(job.id)) return;
    for (const ref of job.close) closeRef(this.host.objects, ref);
    if (job.parent === null) return this.onDone(job.id, status);
    const parent = this.jobs.get(job.parent);
    if (parent?.kind !== 'shell') return;
    if (!parent.children.includes(job.id)) {
      this.ended.set(job.id, status);
      return;
    }
    parent.children = parent.children.filter((c) => c !== job.id);
    if (job.id === parent.last) parent.lastStatus = status;
    if (parent.children.length === 0 && parent.lastStatus !== null) this.pipelineEnded(parent);
  }
}
