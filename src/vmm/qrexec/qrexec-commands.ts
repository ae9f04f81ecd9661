/** Calls made by dom0 through the API and qvm-run: into a VM (started first unless told not to), with stdin given and outputs gathered. */
import type { CallOutcome } from '../../qrexec/data-call.js';
import type { ByteStream } from '../../qrexec/pipe.js';
import { fail } from '../errors.js';
import type { Lifecycle } from '../lifecycle/lifecycle.js';
import { Pipe } from '../../guest-kernel/pipe.js';
import type { QrexecDispatcher } from './dispatcher.js';

export interface Dom0CallRequest {
  readonly name: string;
  /** A qrexec service (`qubes.VMShell`, …), or null for a plain command line run by the VM's shell. */
  readonly service: string | null;
  readonly argument: string;
  readonly command: string | null;
  readonly autostart: boolean;
}

export interface StreamingIo {
  readonly stdin: ByteStream;
  readonly stdout: ByteStream;
  readonly stderr: ByteStream;
}

export class QrexecCommands {
  constructor(
    private readonly lifecycle: Lifecycle,
    private readonly dispatcher: QrexecDispatcher,
    /** Starts a halted VM or resumes a suspended one. */
    private readonly bringUp: (name: string) => Promise<void>,
  ) {}

  /** A call with its stdin given whole and its outputs gathered (POST …/qrexec). */
  async call(req: Dom0CallRequest, stdin: Uint8Array): Promise<{ outcome: CallOutcome; stdout: Uint8Array; stderr: Uint8Array }> {
    const io = { stdin: new Pipe(), stdout: new Pipe(1 << 30), stderr: new Pipe(1 << 30) };
    feed(io.stdin, stdin);
    const outcome = await this.stream(req, io);
    return { outcome, stdout: drain(io.stdout), stderr: drain(io.stderr) };
  }

  /** A call whose streams the caller moves itself (the websocket form). */
  async stream(req: Dom0CallRequest, io: StreamingIo): Promise<CallOutcome> {
    await this.ensureRunning(req);
    return this.dispatcher.dom0Call(req.name, req.service, req.argument, req.command, io);
  }

  private async ensureRunning(req: Dom0CallRequest): Promise<void> {
    const instance = await this.lifecycle.instanceOf(req.name);
    const state = instance ? this.lifecycle.stateOf(req.name) : 'halted';
    if (state === 'running' || state === 'paused' || state === 'halting' || state === 'starting') return;
    if (!req.autostart) fail('INVALID_STATE', `${req.name} is ${state === 'halted' || state === 'crashed' ? 'not running' : state} (and autostart is off)`, { state });
    await this.bringUp(req.name);
  }
}

/** Writes all of `bytes` into the pipe as it takes them, then closes it. */
export function feed(pipe: Pipe, bytes: Uint8Array): void {
  let at = 0;
  const step = () => {
    while (at < bytes.length) {
      const n = pipe.writer.write(bytes.subarray(at, at + 65536));
      if (typeof n !== 'number') return;
      at += n;
    }
    stop();
    pipe.writer.close();
  };
  const stop = pipe.watch(step);
  step();
}

function drain(pipe: Pipe): Uint8Array {
  const chunks: Uint8Array[] = [];
  for (;;) {
    const got = pipe.reader.read(1 << 20);
    if (!(got instanceof Uint8Array)) break;
    chunks.push(got);
  }
  return Buffer.concat(chunks);
}
