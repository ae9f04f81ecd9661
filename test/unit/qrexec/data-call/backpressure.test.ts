import { describe, expect, it } from 'vitest';
import { ClientSide } from '../../../../src/qrexec/data-call.js';
import { QrexecLink } from '../../../../src/qrexec/link.js';
import type { ByteStream } from '../../../../src/qrexec/pipe.js';
import { MSG } from '../../../../src/qrexec/protocol/index.js';
import { world } from '../vchan/support.js';

/** A stream whose writer takes nothing until `open` (a full pipe nobody reads), with its watchers. */
function stream(open: boolean): ByteStream & { open: boolean; watchers: Set<() => void>; taken: number } {
  const s = {
    open,
    taken: 0,
    watchers: new Set<() => void>(),
    reader: { read: () => 'would-block' as const, close: () => undefined },
    writer: {
      write: (bytes: Uint8Array) => {
        if (!s.open) return 'would-block' as const;
        s.taken += bytes.length;
        return bytes.length;
      },
      close: () => undefined,
    },
    watch: (fn: () => void) => {
      s.watchers.add(fn);
      return () => void s.watchers.delete(fn);
    },
  };
  return s;
}

describe('ClientSide backpressure', () => {
  it('keeps the link paused while stdout is blocked, whatever happens on stderr', async () => {
    const w = world();
    const service = new QrexecLink(w.server(1, 2, 513, 65536, 65536), 'data', { onMessage: () => undefined, onClosed: () => undefined });
    const link = new QrexecLink(w.client(2, 1, 513), 'data', { onMessage: () => undefined, onClosed: () => undefined });
    const stdout = stream(false);
    const stderr = stream(true);
    const client = new ClientSide(link, stream(false), stdout, stderr);
    const chunk = 64 * 1024;
    for (let i = 0; i < 16; i++) service.send({ type: MSG.DATA_STDOUT, data: new Uint8Array(chunk).fill(i) });
    const held = () => Buffer.from(client.save().stdout.held, 'base64').length;
    const settle = async () => {
      for (let i = 0; i < 10; i++) {
        w.pump();
        await new Promise((resolve) => setImmediate(resolve));
      }
    };
    await settle();
    const first = held();
    expect(first).toBeGreaterThan(0);
    // stderr's pipe changes again and again (its reader drains it): stdout is still blocked
    for (let i = 0; i < 8; i++) {
      for (const fn of stderr.watchers) fn();
      await settle();
    }
    expect(held()).toBe(first);
    // stdout drains: everything comes through, nothing lost
    stdout.open = true;
    for (const fn of stdout.watchers) fn();
    await settle();
    for (let i = 0; i < 16 && stdout.taken < 16 * chunk; i++) {
      for (const fn of stdout.watchers) fn();
      await settle();
    }
    expect(stdout.taken).toBe(16 * chunk);
    expect(held()).toBe(0);
  });
});
