import { describe, expect, it } from 'vitest';
import { ClientSide, ServiceSide, type CallOutcome } from '../../../../src/qrexec/data-call.js';
import { MSG } from '../../../../src/qrexec/protocol/index.js';
import { linkPair, stream } from './support.js';

const bytes = (s: string) => new TextEncoder().encode(s);

describe('the data link rules on either side of a call', () => {
  it('the caller ends the call with 125 when the service sends stdin, and drops data after an EOF', async () => {
    const { service, caller, settle } = linkPair();
    const out = stream(true);
    let outcome: CallOutcome | null = null;
    new ClientSide(caller, stream(false, new Uint8Array(0)), out, stream(true)).onDone = (o) => (outcome = o);
    service.send({ type: MSG.DATA_STDOUT, data: bytes('kept') });
    service.send({ type: MSG.DATA_STDOUT, data: new Uint8Array(0) });
    service.send({ type: MSG.DATA_STDOUT, data: bytes('after the EOF') });
    await settle();
    expect(out.taken).toBe(4);
    expect(outcome).toBeNull();
    service.send({ type: MSG.DATA_STDIN, data: bytes('wrong way') });
    await settle();
    expect(outcome).toMatchObject({ exitCode: 125, error: expect.stringMatching(/WRONG_DIRECTION/) });
  });

  it('the service side ends when the caller sends stdout; its stdin gets EOF', async () => {
    const { service, caller, settle } = linkPair();
    const stdin = stream(true);
    let done = false;
    new ServiceSide(service, stdin, stream(false), stream(false)).onDone = () => (done = true);
    caller.send({ type: MSG.DATA_STDIN, data: bytes('in') });
    await settle();
    expect(stdin.taken).toBe(2);
    expect(done).toBe(false);
    caller.send({ type: MSG.DATA_STDOUT, data: bytes('wrong way') });
    await settle();
    expect(done).toBe(true);
    expect(stdin.closed).toBe(true);
  });
});
