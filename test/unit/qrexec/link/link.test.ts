import { describe, expect, it } from 'vitest';
import { QrexecLink } from '../../../../src/qrexec/link.js';
import { MSG, type QrexecMessage } from '../../../../src/qrexec/protocol/index.js';
import { world } from '../vchan/support.js';

/** A data vchan between domains 1 (server) and 2 (client), a link on each end recording what it gets. */
function linkedPair() {
  const w = world();
  const s = w.server(1, 2, 513, 4096, 4096);
  const c = w.client(2, 1, 513);
  const got = { server: [] as QrexecMessage[], client: [] as QrexecMessage[] };
  const closed = { server: [] as (string | null)[], client: [] as (string | null)[] };
  const server = new QrexecLink(s, 'data', { onMessage: (m) => got.server.push(m), onClosed: (e) => closed.server.push(e) });
  const client = new QrexecLink(c, 'data', { onMessage: (m) => got.client.push(m), onClosed: (e) => closed.client.push(e) });
  return { w, server, client, got, closed };
}

describe('QrexecLink', () => {
  it('delivers every message sent before the handshake finished, even when closed right after them', () => {
    const { w, client, got, closed } = linkedPair();
    // a service that ends at once: its output, EOFs and exit code are queued before HELLO came back
    expect(client.isReady).toBe(false);
    client.send({ type: MSG.DATA_STDOUT, data: new TextEncoder().encode('out') });
    client.send({ type: MSG.DATA_STDOUT, data: new Uint8Array(0) });
    client.send({ type: MSG.DATA_EXIT_CODE, status: 127 });
    client.close();
    expect(closed.client).toEqual([]);
    w.pump();
    expect(got.server.map((m) => m.type)).toEqual([MSG.DATA_STDOUT, MSG.DATA_STDOUT, MSG.DATA_EXIT_CODE]);
    expect(got.server.at(-1)).toMatchObject({ status: 127 });
    expect(closed).toEqual({ server: [null], client: [null] });
  });

  it('still reads what the peer wrote before closing when its own writes fail', async () => {
    const { w, server, client, got, closed } = linkedPair();
    w.pump();
    expect(server.isReady && client.isReady).toBe(true);
    client.send({ type: MSG.DATA_EXIT_CODE, status: 3 });
    client.close();
    // the server has not read yet and writes into a closed vchan: the exit code must not be lost
    server.send({ type: MSG.DATA_STDIN, data: new Uint8Array(10) });
    w.pump();
    await new Promise((resolve) => setImmediate(resolve));
    w.pump();
    expect(got.server).toEqual([expect.objectContaining({ type: MSG.DATA_EXIT_CODE, status: 3 })]);
    expect(closed.server).toEqual([null]);
  });
});
