/**
 * qrexec-daemon: dom0's end of one VM's control vchan. It connects to the VM's agent, passes its
 * trigger requests to dom0's dispatcher (policy, target, ports) and sends the agent what to do:
 * run a service for a caller (EXEC_CMDLINE), serve a data vchan for its own call (SERVICE_CONNECT),
 * or that its call was refused (SERVICE_REFUSED). CONNECTION_TERMINATED frees a data port.
 */
import { QrexecLink } from './link.js';
import { MSG, VCHAN_BASE_PORT, type QrexecMessage, type TriggerService3Message } from './protocol/index.js';
import { connectVchan } from './vchan-connect.js';
import { readCString } from './protocol/c-string.js';
import type { FrameAllocator, VchanHost } from './vchan/index.js';

export interface DaemonHost {
  readonly vchan: VchanHost;
  /** Slots for dom0's client mappings. */
  readonly slots: FrameAllocator;
  listen(port: number, fn: () => void): () => void;
  readonly timeoutMs: number;
}

export interface DaemonHandlers {
  /** The VM's guest asks for a call (already checked by the decoder); the dispatcher answers through the daemon. */
  trigger(daemon: QrexecDaemon, request: TriggerService3Message): void;
  /** The agent is done with the data vchan (domain, port). */
  terminated(daemon: QrexecDaemon, connectDomain: number, connectPort: number): void;
  /** The control link is gone (the VM died or broke the protocol). */
  closed(daemon: QrexecDaemon, error: string | null): void;
}

export class QrexecDaemon {
  private link: QrexecLink | null = null;

  constructor(
    private readonly host: DaemonHost,
    readonly domid: number,
    readonly name: string,
    private readonly handlers: DaemonHandlers,
  ) {}

  /** Connects to the agent's control vchan; resolves when the handshake is done. */
  async connect(): Promise<void> {
    const end = await connectVchan(this.host.vchan, 0, this.domid, VCHAN_BASE_PORT, this.host.slots, this.host.timeoutMs);
    if (typeof end === 'string') throw new Error(`qrexec daemon for ${this.name}: ${end}`);
    await new Promise<void>((resolve, reject) => {
      const link = new QrexecLink(end, 'agent-to-daemon', {
        onReady: () => resolve(),
        onMessage: (msg) => this.onMessage(msg),
        // the ident goes back as it came, byte for byte (one char per byte, up to its NUL)
        onRefused: (r) => this.refuse(readCString(r.ident, 0, r.ident.length)),
        onClosed: (error) => {
          reject(new Error(error ?? 'closed'));
          this.handlers.closed(this, error);
        },
      });
      link.onFinished(this.host.listen(end.port, () => link.schedule()));
      this.link = link;
      link.schedule();
    });
  }

  /** Tells the agent to run `cmdline` ("user:command") for a caller whose data vchan is (domain, port). */
  exec(connectDomain: number, connectPort: number, cmdline: string): void {
    this.link?.send({ type: MSG.EXEC_CMDLINE, connectDomain, connectPort, cmdline });
  }

  /** Tells the agent its call `ident` goes ahead: serve the data vchan for (domain, port). */
  serviceConnect(connectDomain: number, connectPort: number, ident: string): void {
    this.link?.send({ type: MSG.SERVICE_CONNECT, connectDomain, connectPort, ident });
  }

  refuse(ident: string): void {
    this.link?.send({ type: MSG.SERVICE_REFUSED, ident });
  }

  close(): void {
    this.link?.close();
    this.link = null;
  }

  private onMessage(msg: QrexecMessage): void {
    if (msg.type === MSG.TRIGGER_SERVICE3) this.handlers.trigger(this, msg);
    else if (msg.type === MSG.CONNECTION_TERMINATED) this.handlers.terminated(this, msg.connectDomain, msg.connectPort);
  }
}
