/**
 * dom0's side of qrexec: a daemon per running VM, connected to the agent in its PV kernel; calls
 * from VMs go through the policy (ask waits for an answer; autostart starts a halted target;
 * target= redirects), then both agents are told where their data vchan is; calls from dom0 itself
 * (the API, qvm-run) are trusted, as qrexec-client in Qubes' dom0 is. Every call is an event.
 */
import { evaluate, splitServiceName, type Decision, type SystemInfo } from '../../qrexec/policy/index.js';
import { clientSide, failedOutcome, type CallOutcome } from '../../qrexec/data-call.js';
import { QrexecDaemon } from '../../qrexec/daemon.js';
import type { ByteStream } from '../../qrexec/pipe.js';
import { QREXEC_EXIT, RPC_REQUEST_COMMAND, type TriggerService3Message } from '../../qrexec/protocol/index.js';
import { QrexecLink } from '../../qrexec/link.js';
import { serveVchan } from '../../qrexec/vchan-connect.js';
import type { FrameRange } from '../../qrexec/vchan/frame-allocator.js';
import type { VchanHost } from '../../qrexec/vchan/index.js';
import { DataPorts } from './ports.js';

/** What the dispatcher needs of the VM monitor and the manager. */
export interface DispatchHost {
  readonly vchan: VchanHost;
  readonly dom0Frames: FrameRange;
  readonly dom0Slots: FrameRange;
  listen(domid: number, port: number, fn: () => void): () => void;
  policy(): Parameters<typeof evaluate>[0];
  system(): SystemInfo;
  /** Asks the user (a pending question); resolves with allow or deny. */
  ask(request: { source: string; target: string; service: string; argument: string }, decision: Decision): Promise<Decision>;
  /** Starts a halted VM for an autostart call; resolves once its qrexec agent is up. */
  start(name: string): Promise<void>;
  /** The domid of a running VM, or null. */
  domidOf(name: string): number | null;
  /** Records a finished call (an event). */
  record(call: CallRecord): void;
  readonly timeoutMs: number;
}

export interface CallRecord {
  source: string;
  target: string | null;
  service: string;
  argument: string;
  decision: 'allow' | 'deny' | 'ask' | 'trusted';
  rule: Decision['rule'];
  exitCode: number;
  bytesIn: number;
  bytesOut: number;
  durationMs: number;
  error: string | null;
}

interface Started {
  readonly at: number;
  readonly decision: Decision | null;
  readonly source: string;
  readonly service: string;
  readonly argument: string;
}

export class QrexecDispatcher {
  private readonly daemons = new Map<number, QrexecDaemon>();
  private readonly ports = new DataPorts();
  /** Calls from VMs in flight, by `${sourceDomid}:${ident}`, for their event. */
  private readonly inFlight = new Map<string, Started & { target: string; sourceDomid: number; targetDomid: number }>();
  /** Calls by dom0 in flight, per target VM name. */
  private readonly dom0Calls = new Map<string, number>();
  private readonly waiters = new Map<string, (() => void)[]>();

  constructor(private readonly host: DispatchHost) {}

  /** Connects dom0's daemon to a new VM's agent. */
  async attach(domid: number, name: string): Promise<void> {
    const daemon = new QrexecDaemon({ vchan: this.host.vchan, slots: this.host.dom0Slots, listen: (p, fn) => this.host.listen(0, p, fn), timeoutMs: this.host.timeoutMs }, domid, name, {
      trigger: (d, req) => void this.trigger(d, req),
      terminated: (d, connectDomain, connectPort) => this.ports.free(connectDomain, d.domid, connectPort),
      closed: (d) => {
        if (this.daemons.get(d.domid) === d) this.daemons.delete(d.domid);
      },
    });
    await daemon.connect();
    this.daemons.set(domid, daemon);
    for (const wake of this.waiters.get(name) ?? []) wake();
    this.waiters.delete(name);
  }

  /** A data port a call restored after a restart still uses, between the caller's domain `server` and the service's `client`. */
  keepPort(server: number, client: number, port: number): void {
    this.ports.reserve(server, client, port);
  }

  detach(domid: number): void {
    this.daemons.get(domid)?.close();
    this.daemons.delete(domid);
  }

  /** A call a guest program of `daemon`'s VM asked its agent for (qrexec-client-vm). */
  private async trigger(daemon: QrexecDaemon, req: TriggerService3Message): Promise<void> {
    const at = performance.now();
    const { service, argument } = splitServiceName(req.serviceName);
    const arg = argument === '+' ? '' : argument;
    const request = { source: daemon.name, target: req.targetDomain, service, argument: arg };
    let decision = evaluate(this.host.policy(), request, this.host.system());
    if (decision.action === 'ask') decision = await this.host.ask(request, decision);
    const refuse = (error: string) => {
      daemon.refuse(req.ident);
      this.host.record({ ...request, target: decision.target ?? request.target, decision: decision.action, rule: decision.rule, exitCode: QREXEC_EXIT.REFUSED, bytesIn: 0, bytesOut: 0, durationMs: performance.now() - at, error });
    };
    if (decision.action !== 'allow' || decision.target === null) return refuse(decision.reason);
    const target = decision.target;
    if (target === 'dom0' || target.startsWith('@')) return refuse(`calls to ${target} are not served by this qrexec (only VM targets)`);
    let targetDomid = this.host.domidOf(target);
    if (targetDomid === null || !this.daemons.has(targetDomid)) {
      if (!decision.autostart) return refuse(`${target} is not running and the policy says autostart=no`);
      try {
        await this.host.start(target);
        await this.agentUp(target);
      } catch (err) {
        return refuse(`starting ${target} failed: ${(err as Error).message}`);
      }
      targetDomid = this.host.domidOf(target);
    }
    const targetDaemon = targetDomid === null ? undefined : this.daemons.get(targetDomid);
    const port = targetDomid === null ? null : this.ports.allocate(daemon.domid, targetDomid);
    if (!targetDaemon || targetDomid === null || port === null) return refuse(`no data port or daemon for ${target}`);
    this.inFlight.set(`${daemon.domid}:${req.ident}`, { at, decision, ...request, target, sourceDomid: daemon.domid, targetDomid });
    targetDaemon.exec(daemon.domid, port, `DEFAULT:${RPC_REQUEST_COMMAND} ${service}${arg} ${daemon.name}`);
    daemon.serviceConnect(targetDomid, port, req.ident);
  }

  /** The caller's agent reports how its call `ident` ended: the call's event. */
  finished(sourceDomid: number, ident: string, outcome: CallOutcome): void {
    const started = this.inFlight.get(`${sourceDomid}:${ident}`);
    if (!started) return;
    this.inFlight.delete(`${sourceDomid}:${ident}`);
    this.host.record({
      source: started.source, target: started.target, service: started.service, argument: started.argument,
      decision: started.decision?.action ?? 'trusted', rule: started.decision?.rule ?? null, exitCode: outcome.exitCode,
      bytesIn: outcome.bytesIn, bytesOut: outcome.bytesOut, durationMs: performance.now() - started.at, error: outcome.error,
    });
  }

  /**
   * A call by dom0 itself (trusted: no policy), as qrexec-client: dom0 serves the data vchan and the
   * target's agent connects and runs `service` (or, for a plain command line, its shell).
   */
  async dom0Call(target: string, service: string | null, argument: string, command: string | null, io: { stdin: ByteStream; stdout: ByteStream; stderr: ByteStream }): Promise<CallOutcome> {
    this.dom0Calls.set(target, (this.dom0Calls.get(target) ?? 0) + 1);
    try {
      return await this.dom0CallTo(target, service, argument, command, io);
    } finally {
      const left = this.dom0Calls.get(target)! - 1;
      if (left === 0) this.dom0Calls.delete(target);
      else this.dom0Calls.set(target, left);
    }
  }

  /** Whether a call to or from the VM (`name`, domain `domid`) is being set up or runs, as dom0 sees it. */
  busy(name: string, domid: number): boolean {
    if (this.dom0Calls.has(name)) return true;
    for (const call of this.inFlight.values()) if (call.sourceDomid === domid || call.targetDomid === domid) return true;
    return false;
  }

  private async dom0CallTo(target: string, service: string | null, argument: string, command: string | null, io: { stdin: ByteStream; stdout: ByteStream; stderr: ByteStream }): Promise<CallOutcome> {
    const at = performance.now();
    const domid = this.host.domidOf(target);
    const daemon = domid === null ? undefined : this.daemons.get(domid);
    const problem = (error: string): CallOutcome => failedOutcome(QREXEC_EXIT.PROBLEM, error);
    if (domid === null || !daemon) return problem(`${target} is not running`);
    const port = this.ports.allocate(0, domid);
    if (port === null) return problem(`no free data port for ${target}`);
    const end = serveVchan(this.host.vchan, 0, domid, port, this.host.dom0Frames);
    if (typeof end === 'string') {
      this.ports.free(0, domid, port);
      return problem(end);
    }
    const link = new QrexecLink(end, 'data', { onMessage: () => undefined, onClosed: () => undefined });
    link.onFinished(this.host.listen(0, end.port, () => link.schedule()));
    daemon.exec(0, port, `DEFAULT:${service === null ? command ?? '' : `${RPC_REQUEST_COMMAND} ${service}${argument} dom0`}`);
    const outcome = await clientSide(link, io.stdin, io.stdout, io.stderr);
    this.reclaimLater(end);
    this.host.record({
      source: 'dom0', target, service: service ?? 'command', argument: service === null ? '' : argument, decision: 'trusted', rule: null,
      exitCode: outcome.exitCode, bytesIn: outcome.bytesIn, bytesOut: outcome.bytesOut, durationMs: performance.now() - at, error: outcome.error,
    });
    return outcome;
  }

  private readonly closedDom0Ends: { reclaim(): number }[] = [];

  /** dom0's rings go back to its frames once the peer has unmapped them. */
  private reclaimLater(end: { reclaim(): number }): void {
    this.closedDom0Ends.push(end);
    for (let i = this.closedDom0Ends.length - 1; i >= 0; i--) if (this.closedDom0Ends[i].reclaim() === 0) this.closedDom0Ends.splice(i, 1);
  }

  /** Resolves once the VM named `name` has its daemon connected. */
  private agentUp(name: string): Promise<void> {
    const domid = this.host.domidOf(name);
    if (domid !== null && this.daemons.has(domid)) return Promise.resolve();
    return new Promise((resolve) => this.waiters.set(name, [...(this.waiters.get(name) ?? []), resolve]));
  }
}
