/**
 * The qrexec agent of a VM, part of its PV kernel: it serves the control vchan (port 512) that
 * dom0's daemon connects to, runs the services dom0 asks for (EXEC_CMDLINE: connect to the
 * caller's data vchan, run, relay, send the exit code, then CONNECTION_TERMINATED), and makes the
 * calls its guest programs ask for (TRIGGER_SERVICE3; on SERVICE_CONNECT serve the data vchan).
 */
import { clientSide, serviceSide, type CallOutcome } from './data-call.js';
import { QrexecLink } from './link.js';
import type { ByteStream } from './pipe.js';
import { MSG, RPC_REQUEST_COMMAND, VCHAN_BASE_PORT, type ExecMessage, type QrexecMessage, type ServiceConnectMessage } from './protocol/index.js';
import { connectVchan, serveVchan } from './vchan-connect.js';
import type { FrameAllocator, Libxenvchan, VchanHost } from './vchan/index.js';

/** qrexec's exit codes. */
export const EXIT_REFUSED = 126;
export const EXIT_QREXEC_FAILURE = 125;

export interface ServiceRequest {
  readonly service: string;
  /** '' or '+arg'. */
  readonly argument: string;
  readonly source: string;
  readonly stdin: ByteStream;
  readonly stdout: ByteStream;
  readonly stderr: ByteStream;
}

/** What the agent needs of its VM's PV kernel. */
export interface AgentHost {
  readonly vchan: VchanHost;
  readonly domid: number;
  /** Frames of the VM's RAM the kernel keeps for vchan rings it serves. */
  readonly frames: FrameAllocator;
  /** Slots of the VM's grant-mapping window. */
  readonly slots: FrameAllocator;
  /** Listens on one of the VM's event-channel ports (the kernel is woken, not the guest). */
  listen(port: number, fn: () => void): () => void;
  pipe(): ByteStream;
  /** Runs a qrexec service (QUBESRPC) of the VM's image. */
  runService(request: ServiceRequest): Promise<number>;
  /** Runs a plain command line (qvm-run without --service) with the VM's shell. */
  runCommand(cmdline: string, source: string, io: Pick<ServiceRequest, 'stdin' | 'stdout' | 'stderr'>): Promise<number>;
  /** Milliseconds to wait for a peer's vchan to appear. */
  readonly timeoutMs: number;
}

interface PendingCall {
  readonly io: Pick<ServiceRequest, 'stdin' | 'stdout' | 'stderr'>;
  readonly resolve: (outcome: CallOutcome) => void;
}

export class QrexecAgent {
  readonly control: QrexecLink;
  private readonly pending = new Map<string, PendingCall>();
  private nextIdent = 1;
  private readonly closedServers: Libxenvchan[] = [];
  private readonly stops: (() => void)[] = [];
  /** Calls being served now (for stats and idleness). */
  active = 0;

  constructor(private readonly host: AgentHost) {
    const end = serveVchan(host.vchan, host.domid, 0, VCHAN_BASE_PORT, host.frames);
    if (typeof end === 'string') throw new Error(`qrexec agent: ${end}`);
    this.control = this.linkOn(end, 'daemon-to-agent', {
      onMessage: (msg) => this.onControl(msg),
      onClosed: () => this.failAll('the qrexec daemon went away'),
    });
  }

  /** A call from a guest program of this VM (qrexec-client-vm): its request ident, and its outcome. */
  call(target: string, serviceWithArg: string, io: Pick<ServiceRequest, 'stdin' | 'stdout' | 'stderr'>): { ident: string; outcome: Promise<CallOutcome> } {
    const ident = `SOCKET${this.nextIdent++}`;
    const outcome = new Promise<CallOutcome>((resolve) => {
      this.pending.set(ident, { io, resolve });
      this.control.send({ type: MSG.TRIGGER_SERVICE3, targetDomain: target, ident, serviceName: serviceWithArg });
    });
    return { ident, outcome };
  }

  stop(): void {
    for (const s of this.stops) s();
    this.control.close();
  }

  private onControl(msg: QrexecMessage): void {
    if (msg.type === MSG.EXEC_CMDLINE || msg.type === MSG.JUST_EXEC) void this.serve(msg);
    else if (msg.type === MSG.SERVICE_CONNECT) this.connectCall(msg);
    else if (msg.type === MSG.SERVICE_REFUSED) this.settle(msg.ident, { exitCode: EXIT_REFUSED, bytesIn: 0, bytesOut: 0, error: 'request refused' });
  }

  /** EXEC_CMDLINE: connect to the caller's vchan and run `user:command`. */
  private async serve(msg: ExecMessage): Promise<void> {
    this.active++;
    const { connectDomain, connectPort } = msg;
    const end = await connectVchan(this.host.vchan, this.host.domid, connectDomain, connectPort, this.host.slots, this.host.timeoutMs);
    if (typeof end === 'string') {
      this.active--;
      this.control.send({ type: MSG.CONNECTION_TERMINATED, connectDomain, connectPort });
      return;
    }
    const link = this.linkOn(end, 'data', { onMessage: () => undefined, onClosed: () => undefined });
    const io = { stdin: this.host.pipe(), stdout: this.host.pipe(), stderr: this.host.pipe() };
    const exitCode = this.run(msg.cmdline ?? '', connectDomain, io);
    if (msg.type === MSG.JUST_EXEC) {
      io.stdout.writer.close();
      io.stderr.writer.close();
    }
    await serviceSide(link, io.stdin, io.stdout, io.stderr, exitCode);
    this.active--;
    this.control.send({ type: MSG.CONNECTION_TERMINATED, connectDomain, connectPort });
  }

  private run(cmdline: string, peerDomid: number, io: Pick<ServiceRequest, 'stdin' | 'stdout' | 'stderr'>): Promise<number> {
    const command = cmdline.slice(cmdline.indexOf(':') + 1);
    const words = command.split(' ');
    if (words[0] === RPC_REQUEST_COMMAND) {
      const full = words[1] ?? '';
      const plus = full.indexOf('+');
      const service = plus < 0 ? full : full.slice(0, plus);
      const argument = plus < 0 ? '' : full.slice(plus);
      return this.host.runService({ service, argument, source: words[2] ?? `dom${peerDomid}`, ...io });
    }
    return this.host.runCommand(command, `dom${peerDomid}`, io);
  }

  /** SERVICE_CONNECT: our guest's call is allowed; serve the data vchan for the target and relay. */
  private connectCall(msg: ServiceConnectMessage): void {
    const call = this.pending.get(msg.ident ?? '');
    if (!call) return;
    this.pending.delete(msg.ident ?? '');
    this.reclaim();
    const end = serveVchan(this.host.vchan, this.host.domid, msg.connectDomain, msg.connectPort, this.host.frames);
    if (typeof end === 'string') return call.resolve({ exitCode: EXIT_QREXEC_FAILURE, bytesIn: 0, bytesOut: 0, error: end });
    const link = this.linkOn(end, 'data', { onMessage: () => undefined, onClosed: () => undefined });
    void clientSide(link, call.io.stdin, call.io.stdout, call.io.stderr).then((outcome) => {
      this.closedServers.push(end);
      call.resolve(outcome);
    });
  }

  private settle(ident: string, outcome: CallOutcome): void {
    const call = this.pending.get(ident);
    if (!call) return;
    this.pending.delete(ident);
    call.io.stdout.writer.close();
    call.io.stderr.writer.close();
    call.resolve(outcome);
  }

  private failAll(error: string): void {
    for (const ident of [...this.pending.keys()]) this.settle(ident, { exitCode: EXIT_QREXEC_FAILURE, bytesIn: 0, bytesOut: 0, error });
  }

  /** Frees the rings of closed data vchans whose peers have unmapped them. */
  private reclaim(): void {
    for (let i = this.closedServers.length - 1; i >= 0; i--) {
      if (this.closedServers[i].reclaim() === 0) this.closedServers.splice(i, 1);
    }
  }

  private linkOn(end: Libxenvchan, channel: 'daemon-to-agent' | 'data', handlers: ConstructorParameters<typeof QrexecLink>[2]): QrexecLink {
    const link = new QrexecLink(end, channel, handlers);
    const stop = this.host.listen(end.port, () => link.schedule());
    if (channel === 'data') link.onFinished(stop);
    else this.stops.push(stop);
    return link;
  }
}
