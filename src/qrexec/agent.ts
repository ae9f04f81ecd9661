/**
 * The qrexec agent of a VM, part of its PV kernel: it serves the control vchan (port 512) that
 * dom0's daemon connects to, runs the services dom0 asks for (EXEC_CMDLINE: connect to the
 * caller's data vchan, run, relay, send the exit code, then CONNECTION_TERMINATED), and makes the
 * calls its guest programs ask for (TRIGGER_SERVICE3; on SERVICE_CONNECT serve the data vchan).
 * Every call it holds is plain data between events (save/restore): a suspended VM goes on with
 * its calls where they were.
 */
import { ClientSide, failedOutcome, ServiceSide, type CallOutcome, type ClientSideState, type ServiceSideState } from './data-call.js';
import { QrexecLink, type LinkState } from './link.js';
import { MSG, QREXEC_EXIT, RPC_REQUEST_COMMAND, VCHAN_BASE_PORT, type ExecMessage, type QrexecMessage, type ServiceConnectMessage } from './protocol/index.js';
import { connectVchan, serveVchan } from './vchan-connect.js';
import type { AgentHost, AgentState, CallStreams, OwnCallState, ServedCallState } from './agent-state.js';
export type { AgentHost, AgentState, CallStreams, OwnCallState, ServedCallState, StreamRef } from './agent-state.js';
import { FrameRange, restoreLibxenvchan, type Libxenvchan, type LibxenvchanState } from './vchan/index.js';

interface Served {
  readonly s: ServedCallState;
  end: Libxenvchan | null;
  link: QrexecLink | null;
  side: ServiceSide | null;
}

interface Own {
  readonly s: OwnCallState;
  end: Libxenvchan | null;
  link: QrexecLink | null;
  side: ClientSide | null;
}

export class QrexecAgent {
  readonly control: QrexecLink;
  private readonly controlEnd: Libxenvchan;
  private readonly frames: FrameRange;
  private readonly slots: FrameRange;
  private readonly served = new Set<Served>();
  private readonly own = new Map<string, Own>();
  private nextIdent = 1;
  private readonly closedServers: Libxenvchan[] = [];
  private readonly stops = new Set<() => void>();
  private stopped = false;
  /** A call of the guest ended (the VM's qrexec_wait and dom0's call event hear of it). */
  onCallEnded: (ident: string, outcome: CallOutcome) => void = () => undefined;

  /** Calls that were in flight when the VM was suspended, whose peers are gone (see endOrphans). */
  private readonly orphans: { served: ServedCallState[]; own: OwnCallState[] } = { served: [], own: [] };

  /**
   * A new agent (its kernel's frame allocators), or one going on from a suspend file. After a
   * restart (`afterRestart`: dom0's daemon is new, and only the domains `present` says came back
   * with this one), a fresh control vchan is served for the new daemon; the calls with a peer that
   * came back go on as they were; the vchans to any other peer are let go (their frames and grants
   * come back) and their calls wait for endOrphans. A call still waiting for dom0's answer is an
   * orphan too: the daemon that had its request is gone.
   */
  constructor(
    private readonly host: AgentHost,
    init: { frames: FrameRange; slots: FrameRange } | AgentState,
    options: { afterRestart?: { present: (domid: number) => boolean } } = {},
  ) {
    const saved = 'control' in init ? init : undefined;
    this.frames = saved ? FrameRange.restore(saved.frames) : (init as { frames: FrameRange }).frames;
    this.slots = saved ? FrameRange.restore(saved.slots) : (init as { slots: FrameRange }).slots;
    const handlers = {
      onMessage: (msg: QrexecMessage) => this.onControl(msg),
      onClosed: () => this.failAll('the qrexec daemon went away'),
    };
    const cold = saved ? options.afterRestart : undefined;
    if (saved && cold) {
      this.nextIdent = saved.nextIdent;
      this.letGo(saved.control.end);
      for (const s of saved.closedServers) {
        if (cold.present(s.peer)) this.closedServers.push(this.restoreEnd(s, this.frames));
        else this.letGo(s);
      }
      const end = serveVchan(host.vchan, host.domid, 0, VCHAN_BASE_PORT, this.frames);
      if (typeof end === 'string') throw new Error(`qrexec agent: ${end}`);
      this.controlEnd = end;
      this.control = this.linkOn(end, 'daemon-to-agent', handlers);
      for (const s of saved.served) {
        if (cold.present(s.connectDomain)) this.resumeServed(s);
        else this.orphanServed(s);
      }
      for (const s of saved.own) {
        if (s.data && cold.present(s.data.end.peer)) this.resumeOwn(s);
        else this.orphanOwn(s);
      }
    } else if (saved) {
      this.nextIdent = saved.nextIdent;
      this.controlEnd = this.restoreEnd(saved.control.end, this.frames);
      this.control = this.linkOn(this.controlEnd, 'daemon-to-agent', handlers, saved.control.link);
      for (const s of saved.closedServers) this.closedServers.push(this.restoreEnd(s, this.frames));
      for (const s of saved.served) this.resumeServed(s);
      for (const s of saved.own) this.resumeOwn(s);
    } else {
      const end = serveVchan(host.vchan, host.domid, 0, VCHAN_BASE_PORT, this.frames);
      if (typeof end === 'string') throw new Error(`qrexec agent: ${end}`);
      this.controlEnd = end;
      this.control = this.linkOn(end, 'daemon-to-agent', handlers);
    }
  }

  /** Calls being served now (for stats and idleness). */
  get active(): number {
    return this.served.size;
  }

  /** Calls of the guest in flight. */
  get calling(): number {
    return this.own.size;
  }

  /** The data ports of its calls in flight, as dom0's port table names them: `server` is the caller's domain, `client` the service's. */
  dataPorts(): { server: number; client: number; port: number }[] {
    return [
      ...[...this.own.values()].flatMap((c) => (c.end ? [{ server: this.host.domid, client: c.end.peer, port: c.end.vchanPort }] : [])),
      ...[...this.served].map((c) => ({ server: c.s.connectDomain, client: this.host.domid, port: c.s.connectPort })),
    ];
  }

  /** A call from a guest program of this VM (qrexec-client-vm): its request ident; `onCallEnded` tells how it ended. */
  call(target: string, serviceWithArg: string, io: CallStreams): string {
    const ident = `SOCKET${this.nextIdent++}`;
    this.own.set(ident, { s: { ident, phase: 'pending', io, data: null }, end: null, link: null, side: null });
    this.control.send({ type: MSG.TRIGGER_SERVICE3, targetDomain: target, ident, serviceName: serviceWithArg });
    return ident;
  }

  /** A job the agent started for a served call ended with `status`. */
  jobDone(job: number, status: number): void {
    for (const c of this.served) {
      if (c.s.job !== job) continue;
      c.s.job = null;
      c.side?.setExit(status);
    }
  }

  /** The VM is going away: the control link closes (dom0's daemon sees the agent gone). */
  stop(): void {
    this.detach();
    this.control.close();
  }

  /** The VM is being suspended: stop listening, close nothing; save() has the state. */
  detach(): void {
    this.stopped = true;
    for (const s of this.stops) s();
    this.stops.clear();
    this.control.detach();
    for (const c of [...this.served, ...this.own.values()]) {
      c.side?.detach();
      c.link?.detach();
    }
  }

  save(): AgentState {
    return {
      control: { end: this.controlEnd.save(), link: this.control.save() },
      nextIdent: this.nextIdent,
      frames: this.frames.save(),
      slots: this.slots.save(),
      served: [...this.served].map((c) => ({
        ...c.s,
        data: c.end && c.link && c.side ? { end: c.end.save(), link: c.link.save(), side: c.side.save() } : null,
      })),
      own: [...this.own.values()].map((c) => ({
        ...c.s,
        data: c.end && c.link && c.side ? { end: c.end.save(), link: c.link.save(), side: c.side.save() } : null,
      })),
      closedServers: this.closedServers.map((e) => e.save()),
    };
  }

  // ---- control messages ----

  private onControl(msg: QrexecMessage): void {
    if (msg.type === MSG.EXEC_CMDLINE || msg.type === MSG.JUST_EXEC) this.serve(msg);
    else if (msg.type === MSG.SERVICE_CONNECT) this.connectCall(msg);
    else if (msg.type === MSG.SERVICE_REFUSED) this.settle(msg.ident, { ...failedOutcome(QREXEC_EXIT.REFUSED, 'request refused'), refused: true });
  }

  /** EXEC_CMDLINE: connect to the caller's vchan and run `user:command`. */
  private serve(msg: ExecMessage): void {
    const s: ServedCallState = {
      connectDomain: msg.connectDomain, connectPort: msg.connectPort, cmdline: msg.cmdline ?? '', justExec: msg.type === MSG.JUST_EXEC,
      phase: 'connecting', io: null, job: null, data: null,
    };
    const c: Served = { s, end: null, link: null, side: null };
    this.served.add(c);
    void this.connectServed(c);
  }

  private async connectServed(c: Served): Promise<void> {
    const { connectDomain, connectPort } = c.s;
    const end = await connectVchan(this.host.vchan, this.host.domid, connectDomain, connectPort, this.slots, this.host.timeoutMs, () => this.stopped);
    if (this.stopped) return;
    if (typeof end === 'string') return this.endServed(c);
    c.end = end;
    c.link = this.linkOn(end, 'data', { onMessage: () => undefined, onClosed: () => undefined });
    const io = this.host.newCallStreams();
    c.s.io = io;
    c.s.phase = 'serving';
    c.side = this.sideOf(c, io);
    c.s.job = this.run(c.s.cmdline, connectDomain, io);
    if (c.s.justExec) {
      this.host.close(io.stdout, 'output');
      this.host.close(io.stderr, 'output');
    }
  }

  private sideOf(c: Served, io: CallStreams, saved?: ServiceSideState): ServiceSide {
    const side = new ServiceSide(c.link!, this.host.stream(io.stdin, 'output'), this.host.stream(io.stdout, 'input'), this.host.stream(io.stderr, 'input'), saved);
    side.onDone = () => this.endServed(c);
    return side;
  }

  private endServed(c: Served): void {
    if (!this.served.delete(c)) return;
    this.control.send({ type: MSG.CONNECTION_TERMINATED, connectDomain: c.s.connectDomain, connectPort: c.s.connectPort });
  }

  private run(cmdline: string, peerDomid: number, io: CallStreams): number {
    const command = cmdline.slice(cmdline.indexOf(':') + 1);
    const words = command.split(' ');
    if (words[0] === RPC_REQUEST_COMMAND) {
      const full = words[1] ?? '';
      const plus = full.indexOf('+');
      const service = plus < 0 ? full : full.slice(0, plus);
      const argument = plus < 0 ? '' : full.slice(plus);
      return this.host.startService({ service, argument, source: words[2] ?? `dom${peerDomid}` }, io);
    }
    return this.host.startCommand(command, `dom${peerDomid}`, io);
  }

  /** SERVICE_CONNECT: our guest's call is allowed; serve the data vchan for the target and relay. */
  private connectCall(msg: ServiceConnectMessage): void {
    const c = this.own.get(msg.ident ?? '');
    if (!c || c.s.phase !== 'pending') return;
    this.reclaim();
    const end = serveVchan(this.host.vchan, this.host.domid, msg.connectDomain, msg.connectPort, this.frames);
    if (typeof end === 'string') return this.settle(c.s.ident, failedOutcome(QREXEC_EXIT.PROBLEM, end));
    c.s.phase = 'connected';
    c.end = end;
    c.link = this.linkOn(end, 'data', { onMessage: () => undefined, onClosed: () => undefined });
    c.side = this.clientOf(c);
  }

  private clientOf(c: Own, saved?: ClientSideState): ClientSide {
    const io = c.s.io;
    const side = new ClientSide(c.link!, this.host.stream(io.stdin, 'input'), this.host.stream(io.stdout, 'output'), this.host.stream(io.stderr, 'output'), saved);
    side.onDone = (outcome) => {
      if (c.end) this.closedServers.push(c.end);
      this.own.delete(c.s.ident);
      this.onCallEnded(c.s.ident, outcome);
    };
    return side;
  }

  /** A refusal or failure before any data moved: the caller's output streams end, and it hears why. */
  private settle(ident: string, outcome: CallOutcome): void {
    const c = this.own.get(ident);
    if (!c) return;
    this.own.delete(ident);
    this.host.close(c.s.io.stdout, 'output');
    this.host.close(c.s.io.stderr, 'output');
    this.onCallEnded(ident, outcome);
  }

  private failAll(error: string): void {
    for (const ident of [...this.own.keys()]) {
      if (this.own.get(ident)?.s.phase === 'pending') this.settle(ident, failedOutcome(QREXEC_EXIT.PROBLEM, error));
    }
  }

  /** Frees the rings of closed data vchans whose peers have unmapped them. */
  private reclaim(): void {
    for (let i = this.closedServers.length - 1; i >= 0; i--) {
      if (this.closedServers[i].reclaim() === 0) this.closedServers.splice(i, 1);
    }
  }

  // ---- resume ----

  /**
   * After a resume after a restart: every call whose peer is gone ends. The guest's own calls fail
   * with `error` (exit 125, their output streams closed); a service run for a caller gets end of file
   * on its stdin and nobody reads its output any more, and its job ends by itself.
   */
  endOrphans(error: string): void {
    for (const s of this.orphans.served.splice(0)) {
      // its end of the caller's data vchan was not restored: the port goes (orphanServed freed its slots)
      if (s.data) this.host.vchan.evtchn.close(this.host.domid, s.data.end.port);
      if (s.io === null) continue;
      this.host.close(s.io.stdin, 'output');
      this.host.close(s.io.stdout, 'input');
      this.host.close(s.io.stderr, 'input');
    }
    for (const s of this.orphans.own.splice(0)) {
      this.host.close(s.io.stdout, 'output');
      this.host.close(s.io.stderr, 'output');
      this.onCallEnded(s.ident, failedOutcome(QREXEC_EXIT.PROBLEM, error));
    }
  }

  /** A served call whose caller is gone: its slots come back now, the rest in endOrphans. */
  private orphanServed(s: ServedCallState): void {
    const m = s.data?.end.mapping;
    for (const run of m ? [m.ctrl, m.left, m.right] : []) if (run) this.slots.free(run.hostAddr, run.handles.length);
    this.orphans.served.push(s);
  }

  /** A call of the guest whose target is gone, or whose request dom0 lost: its vchan goes now, the call ends in endOrphans. */
  private orphanOwn(s: OwnCallState): void {
    if (s.data) this.letGo(s.data.end);
    this.orphans.own.push(s);
  }

  /** A saved server end whose peer is gone: its port closes, its grants end and its frames come back. */
  private letGo(state: LibxenvchanState): void {
    const end = this.restoreEnd(state, this.frames);
    end.close();
    if (end.reclaim() > 0) this.closedServers.push(end);
  }

  private restoreEnd(state: LibxenvchanState, allocator: FrameRange): Libxenvchan {
    const r = restoreLibxenvchan(this.host.vchan, state, allocator);
    if (!r.ok) throw new Error(`qrexec agent: vchan ${state.vchanPort}: ${r.error.code} at ${r.error.step} (${r.error.detail})`);
    return r.value;
  }

  private resumeServed(s: ServedCallState): void {
    const c: Served = { s, end: null, link: null, side: null };
    this.served.add(c);
    if (s.phase === 'connecting' || s.data === null || s.io === null) {
      s.phase = 'connecting';
      void this.connectServed(c);
      return;
    }
    c.end = this.restoreEnd(s.data.end, this.slots);
    c.link = this.linkOn(c.end, 'data', { onMessage: () => undefined, onClosed: () => undefined }, s.data.link);
    c.side = this.sideOf(c, s.io, s.data.side);
    s.data = null;
  }

  private resumeOwn(s: OwnCallState): void {
    const c: Own = { s, end: null, link: null, side: null };
    this.own.set(s.ident, c);
    if (s.phase === 'pending' || s.data === null) return;
    c.end = this.restoreEnd(s.data.end, this.frames);
    c.link = this.linkOn(c.end, 'data', { onMessage: () => undefined, onClosed: () => undefined }, s.data.link);
    c.side = this.clientOf(c, s.data.side);
    s.data = null;
  }

  private linkOn(end: Libxenvchan, channel: 'daemon-to-agent' | 'data', handlers: ConstructorParameters<typeof QrexecLink>[2], saved?: LinkState): QrexecLink {
    const link = new QrexecLink(end, channel, handlers, saved);
    const stop = this.host.listen(end.port, () => link.schedule());
    this.stops.add(stop);
    link.onFinished(() => {
      stop();
      this.stops.delete(stop);
    });
    // a restored link may hold data already: it runs once, after the caller has attached its side
    if (saved) link.schedule();
    return link;
  }
}
