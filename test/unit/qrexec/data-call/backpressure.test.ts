import { describe, expect, it } from 'vitest';
import { ClientSide } from '../../../../src/qrexec/data-call.js';
import { MSG } from '../../../../src/qrexec/protocol/index.js';
import { linkPair, stream } from './support.js';

describe('ClientSide backpressure', () => {
  it('keeps the link paused while stdout is blocked, whatever happens on stderr', async () => {
    const { service, caller: link, settle } = linkPair();
    const stdout = stream(false);
    const stderr = stream(true);
    const client = new ClientSide(link, stream(false), stdout, stderr);
    const chunk = 64 * 1024;
    for (let i = 0; i < 16; i++) service.send({ type: MSG.DATA_STDOUT, data: new Uint8Array(chunk).fill(i) });
    const held = () => Buffer.from(client.save().stdout.held, 'base64').length;
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
