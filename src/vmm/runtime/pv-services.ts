/**
 * The qrexec services of a VM's PV kernel: each call runs the service its image's table names —
 * a built-in of the kernel (qubes.GetDate, qubes.GetRandom, qubes.WaitForSession, qubes.VMShell) or
 * a guest program started as a process with stdin/stdout/stderr joined to the call's streams and
 * QREXEC_REMOTE_DOMAIN, QREXEC_SERVICE_FULL_NAME, QREXEC_SERVICE_ARGUMENT in its environment.
 */
import { virtualNs } from '../../vcpu/virtual-clock.js';
import type { Vcpu } from '../../vcpu/vcpu.js';
import type { OutputEndpoint } from '../pv/fd-endpoint.js';
import { Pipe } from '../pv/pipe.js';
import { spawnProcess, type ThreadFactory } from './guest-process.js';
import { parseCommandLine, runPipeline, type ShellHost } from './vm-shell.js';
import type { VmInstance } from './vm-instance.js';

/** qrexec's exit codes: no such service, refused, qrexec failure. */
export const EXIT_NO_SERVICE = 127;

export interface ServiceCall {
  /** Service name without the argument, e.g. qubes.VMShell. */
  readonly service: string;
  /** '' or '+arg'. */
  readonly argument: string;
  readonly source: string;
  /** What the caller sends (DATA_STDIN until EOF). */
  readonly stdin: Pipe;
  readonly stdout: OutputEndpoint & { close(): void };
  readonly stderr: OutputEndpoint & { close(): void };
}

const encoder = new TextEncoder();

export class PvServices {
  private nextSeed = 1;

  constructor(
    private readonly vm: VmInstance,
    private readonly newThread: (vcpu: Vcpu) => ReturnType<ThreadFactory>,
    private readonly seed: number,
    private readonly memoryMiB: number,
  ) {}

  /** Runs the service of the VM's image for `call`; resolves with its exit code. */
  async run(call: ServiceCall): Promise<number> {
    const target = this.vm.image.services[call.service];
    let status: number;
    if (!target) status = await this.missing(call);
    else if ('builtin' in target) status = await this.builtin(target.builtin, call);
    else status = await this.program(target.program, [target.program, ...(call.argument ? [call.argument.slice(1)] : [])], call);
    call.stdout.close();
    call.stderr.close();
    return status;
  }

  private async missing(call: ServiceCall): Promise<number> {
    await write(call.stderr, `${call.service}: no such service in image ${this.vm.image.name}\n`);
    return EXIT_NO_SERVICE;
  }

  private async builtin(name: string, call: ServiceCall): Promise<number> {
    switch (name) {
      case 'qubes.GetDate': {
        const ns = virtualNs(this.vm.ecs[0]?.vcpu?.instret ?? 0);
        return (await write(call.stdout, `${new Date(ns / 1e6).toISOString().replace(/\.\d+Z$/, '+00:00')}\n`)) ? 0 : 1;
      }
      case 'qubes.GetRandom': {
        const n = Math.min(65536, Math.max(0, Number(call.argument.slice(1)) || 32));
        return (await writeBytes(call.stdout, this.vm.process.random.bytes(n))) ? 0 : 1;
      }
      case 'qubes.WaitForSession':
        return 0;
      case 'qubes.VMShell':
        return this.shell(call);
      default:
        return this.missing(call);
    }
  }

  /** qubes.VMShell: the first line of stdin is the command line; the rest is its stdin. */
  private async shell(call: ServiceCall): Promise<number> {
    return this.commandLine((await readLine(call.stdin)) ?? '', call);
  }

  /** A command line run by the VM's shell (qvm-run without --service sends one as EXEC_CMDLINE). */
  async runCommandLine(line: string, call: Omit<ServiceCall, 'service' | 'argument'>): Promise<number> {
    const status = await this.commandLine(line, { ...call, service: 'qubes.VMShell', argument: '' });
    call.stdout.close();
    call.stderr.close();
    return status;
  }

  private async commandLine(line: string, call: ServiceCall): Promise<number> {
    const parsed = parseCommandLine(line);
    if (!parsed.ok) {
      await write(call.stderr, `sh: ${parsed.error}\n`);
      return 2;
    }
    const host: ShellHost = {
      files: this.vm.files,
      pipe: () => this.pipe(),
      run: (argv, stdin, stdout, stderr) =>
        this.vm.image.programs.has(argv[0]) ? this.spawn(argv[0], argv, { stdin, stdout, stderr }, call) : null,
    };
    return runPipeline(parsed.stages, host, call.stdin.reader, call.stdout, call.stderr);
  }

  private program(name: string, argv: string[], call: ServiceCall): Promise<number> {
    return this.spawn(name, argv, { stdin: call.stdin.reader, stdout: call.stdout, stderr: call.stderr }, call);
  }

  private async spawn(
    name: string,
    argv: string[],
    stdio: { stdin: Pipe['reader']; stdout: OutputEndpoint & { close(): void }; stderr: OutputEndpoint },
    call: ServiceCall,
  ): Promise<number> {
    const program = this.vm.image.programs.get(name);
    if (!program) return (await this.missing(call), EXIT_NO_SERVICE);
    const env = [
      `QREXEC_REMOTE_DOMAIN=${call.source}`,
      `QREXEC_SERVICE_FULL_NAME=${call.service}${call.argument}`,
      `QREXEC_SERVICE_ARGUMENT=${call.argument.slice(1)}`,
    ];
    const fds = { inputs: new Map([[0, stdio.stdin]]), outputs: new Map<number, OutputEndpoint>([[1, stdio.stdout], [2, stdio.stderr]]) };
    const spawned = spawnProcess(this.vm, this.newThread, { program, argv, envp: env, fds }, (this.seed + this.nextSeed++) >>> 0, this.memoryMiB);
    if (typeof spawned === 'string') {
      await write(stdio.stderr, `${name}: ${spawned}\n`);
      return 126;
    }
    return spawned.exited;
  }

  /** A pipe whose changes wake the VM's blocked vCPUs (a process may wait on it). */
  pipe(): Pipe {
    const p = new Pipe();
    p.watch(() => this.vm.wakeBlocked());
    return p;
  }
}

/** The next line of a pipe (without its newline), waiting for it; null at EOF before any byte. */
export async function readLine(pipe: Pipe): Promise<string | null> {
  const bytes: number[] = [];
  for (;;) {
    const got = pipe.reader.read(1);
    if (got === 'eof') return bytes.length === 0 ? null : new TextDecoder().decode(new Uint8Array(bytes));
    if (got === 'would-block') {
      await pipe.changed();
      continue;
    }
    if (!(got instanceof Uint8Array)) return null;
    if (got[0] === 0x0a) return new TextDecoder().decode(new Uint8Array(bytes));
    bytes.push(got[0]);
  }
}


async function write(out: OutputEndpoint, text: string): Promise<boolean> {
  return writeBytes(out, encoder.encode(text));
}

async function writeBytes(out: OutputEndpoint, bytes: Uint8Array): Promise<boolean> {
  let at = 0;
  while (at < bytes.length) {
    const n = out.write(bytes.subarray(at));
    if (n === 'would-block') await new Promise<void>((r) => setImmediate(r));
    else if (typeof n !== 'number') return false;
    else at += n;
  }
  return true;
}
