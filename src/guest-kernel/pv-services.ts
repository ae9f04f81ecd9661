/**
 * The qrexec services of a VM's PV kernel: each call runs the service its image's table names —
 * a built-in of the kernel (qubes.GetDate, qubes.GetRandom, qubes.WaitForSession, qubes.VMShell) or
 * a guest program started as a process with stdin/stdout/stderr joined to the call's streams and
 * QREXEC_REMOTE_DOMAIN, QREXEC_SERVICE_FULL_NAME, QREXEC_SERVICE_ARGUMENT in its environment. A
 * service is a job (jobs.ts): its id is what the agent waits on.
 */
import { QREXEC_EXIT } from '../qrexec/protocol/index.js';
import { virtualNs } from '../vcpu/virtual-clock.js';
import type { EndpointRef, KernelObjects } from './kernel-objects.js';
import type { CallInfo, JobHost, JobTable } from './jobs.js';
import type { ProcessFds, ProcessTable, SpawnFailure } from './process-table.js';
import type { VmInstance } from './vm-instance.js';

/** A call's streams, as the kernel's objects: stdin to read, stdout and stderr to write. */
export interface CallIo {
  readonly stdin: EndpointRef;
  readonly stdout: EndpointRef;
  readonly stderr: EndpointRef;
}

const encoder = new TextEncoder();

export class PvServices implements JobHost {
  private nextSeed = 1;

  constructor(
    private readonly vm: VmInstance,
    private readonly kernel: { readonly objects: KernelObjects; readonly jobs: JobTable; readonly processes: ProcessTable },
    private readonly seed: number,
    private readonly memoryMiB: number,
  ) {}

  get objects() {
    return this.kernel.objects;
  }

  /** Starts the service of the VM's image for `call`: the id of its job. */
  start(call: CallInfo, io: CallIo): number {
    const jobs = this.kernel.jobs;
    const ends = [io.stdout, io.stderr];
    const target = this.vm.image.services[call.service];
    if (!target) return this.missing(call, io);
    if ('program' in target) {
      const argv = [target.program, ...(call.argument ? [call.argument.slice(1)] : [])];
      const pid = this.spawn(argv, { inputs: [[0, io.stdin]], outputs: [[1, io.stdout], [2, io.stderr]], closeOnExit: [io.stdin, ...ends] }, call);
      if (pid === null) return this.missing(call, io);
      if (typeof pid !== 'number') return jobs.write([{ to: io.stderr, data: encoder.encode(`${target.program}: ${pid.message}\n`) }], pid.status, ends);
      return jobs.process(pid, ends);
    }
    switch (target.builtin) {
      case 'qubes.GetDate': {
        const ns = virtualNs(this.vm.ecs[0]?.vcpu?.instret ?? 0);
        const date = `${new Date(ns / 1e6).toISOString().replace(/\.\d+Z$/, '+00:00')}\n`;
        return jobs.write([{ to: io.stdout, data: encoder.encode(date) }], 0, ends);
      }
      case 'qubes.GetRandom': {
        const n = Math.min(65536, Math.max(0, Number(call.argument.slice(1)) || 32));
        return jobs.write([{ to: io.stdout, data: this.vm.process.random.bytes(n) }], 0, ends);
      }
      case 'qubes.WaitForSession':
        return jobs.write([], 0, ends);
      case 'qubes.VMShell':
        return jobs.shell(call, io, ends);
      default:
        return this.missing(call, io);
    }
  }

  /** A command line run by the VM's shell (qvm-run without --service sends one as EXEC_CMDLINE). */
  startCommand(line: string, source: string, io: CallIo): number {
    return this.kernel.jobs.shell({ source, service: 'qubes.VMShell', argument: '' }, io, [io.stdout, io.stderr], line);
  }

  /** Starts program `argv[0]` of the image (JobHost). */
  spawn(argv: string[], fds: ProcessFds, call: CallInfo): number | SpawnFailure | null {
    const program = this.vm.image.programs.get(argv[0]);
    if (!program) return null;
    const envp = [
      `QREXEC_REMOTE_DOMAIN=${call.source}`,
      `QREXEC_SERVICE_FULL_NAME=${call.service}${call.argument}`,
      `QREXEC_SERVICE_ARGUMENT=${call.argument.slice(1)}`,
    ];
    return this.kernel.processes.spawn({ name: argv[0], program, argv, envp, fds }, (this.seed + this.nextSeed++) >>> 0, this.memoryMiB);
  }

  save(): { nextSeed: number } {
    return { nextSeed: this.nextSeed };
  }

  restore(s: { nextSeed: number }): void {
    this.nextSeed = s.nextSeed;
  }

  private missing(call: CallInfo, io: CallIo): number {
    const text = `${call.service}: no such service in image ${this.vm.image.name}\n`;
    return this.kernel.jobs.write([{ to: io.stderr, data: encoder.encode(text) }], QREXEC_EXIT.SERVICE_NOT_FOUND, [io.stdout, io.stderr]);
  }
}
