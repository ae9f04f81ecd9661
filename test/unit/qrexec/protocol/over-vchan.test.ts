import { describe, expect, it } from 'vitest';
import { DataChannel, type DataEvent } from '../../../../src/qrexec/protocol/data-channel.js';
import { MSG } from '../../../../src/qrexec/protocol/msg-type.js';
import { VCHAN_BASE_DATA_PORT } from '../../../../src/qrexec/protocol/qrexec-constants.js';
import { QrexecDecoder } from '../../../../src/qrexec/protocol/qrexec-decoder.js';
import { QrexecHandshake } from '../../../../src/qrexec/protocol/qrexec-handshake.js';
import type { Libxenvchan } from '../../../../src/qrexec/vchan/libxenvchan.js';
import { pattern, world } from '../vchan/support.js';

/** One side of a qrexec data link over a vchan end: an outbox flushed on onWritable, a decoder fed on onReadable. */
class Endpoint {
  readonly decoder = new QrexecDecoder({ channel: 'data' });
  readonly handshake: QrexecHandshake;
  readonly data: DataChannel;
  readonly events: DataEvent[] = [];
  private readonly outbox: Uint8Array[] = [];
  private readonly buf = new Uint8Array(1500);

  constructor(readonly end: Libxenvchan, role: 'client' | 'service', onReady: (e: Endpoint) => void) {
    this.handshake = new QrexecHandshake({ role: end.role === 'server' ? 'server' : 'client' });
    this.data = new DataChannel(role);
    end.onWritable(() => this.flush());
    end.onReadable(() => this.drain(onReady));
    const hello = this.handshake.start();
    if (hello) this.send([hello]);
  }

  send(frames: readonly Uint8Array[]): void {
    this.outbox.push(...frames);
    this.flush();
  }

  private flush(): void {
    while (this.outbox.length > 0) {
      const head = this.outbox[0]!;
      const n = this.end.write(head);
      if (n <= 0) return;
      if (n === head.length) this.outbox.shift();
      else this.outbox[0] = head.subarray(n);
    }
  }

  private drain(onReady: (e: Endpoint) => void): void {
    for (;;) {
      const n = this.end.readInto(this.buf);
      if (n <= 0) return;
      for (const ev of this.decoder.push(this.buf.slice(0, n))) this.handle(ev, onReady);
    }
  }

  private handle(ev: ReturnType<QrexecDecoder['push']>[number], onReady: (e: Endpoint) => void): void {
    if (ev.kind !== 'message') throw new Error(JSON.stringify(ev));
    if (ev.msg.type === MSG.HELLO) {
      const r = this.handshake.receive(ev.msg.version);
      if (!r.ok) throw new Error(r.error.detail);
      if (r.value.reply) this.send([r.value.reply]);
      for (const e of this.decoder.setVersion(r.value.version)) this.handle(e, onReady);
      onReady(this);
      return;
    }
    this.events.push(this.data.receive(ev.msg));
  }
}

describe('qrexec over a vchan', () => {
  it('runs a service call: hello both ways, stdin with EOF, stdout with EOF, exit code, through 1 KiB and 2 KiB rings', () => {
    const w = world();
    // The caller (qrexec-client-vm in domain 1) is the vchan server of the data port; the service side connects.
    const server = w.server(1, 2, VCHAN_BASE_DATA_PORT, 1024, 2048);
    const input = pattern(3, 150_000);
    const caller = new Endpoint(server, 'client', (e) => {
      const r = e.data.send('stdin', input);
      const eof = e.data.send('stdin', new Uint8Array());
      if (r.ok && eof.ok) e.send([...r.value, ...eof.value]);
    });
    const client = w.client(2, 1, VCHAN_BASE_DATA_PORT);
    const received: Uint8Array[] = [];
    const service = new Endpoint(client, 'service', () => undefined);
    const seen = service.events;
    const watch = (): void => {
      for (const ev of seen.splice(0)) {
        if (ev.kind === 'data') received.push(ev.data);
        if (ev.kind === 'eof') {
          const out = service.data.send('stdout', Buffer.concat(received).reverse());
          const end = service.data.send('stdout', new Uint8Array());
          const exit = service.data.exit(0);
          if (out.ok && end.ok && exit.ok) service.send([...out.value, ...end.value, exit.value]);
        }
      }
    };
    client.onReadable(() => w.tasks.push(watch));
    w.pump();
    watch();
    w.pump();
    const kinds = caller.events.map((e) => e.kind);
    expect(kinds.at(-2)).toBe('eof');
    expect(caller.events.at(-1)).toEqual({ kind: 'exit', status: 0 });
    const back = Buffer.concat(caller.events.flatMap((e) => (e.kind === 'data' ? [e.data] : [])));
    expect(Buffer.compare(back, Buffer.from(input).reverse())).toBe(0);
    expect(caller.handshake.version).toBe(3);
    expect(service.handshake.version).toBe(3);
  });
});
