import { describe, expect, it } from 'vitest';
import { DataChannel } from '../../../../src/qrexec/protocol/data-channel.js';
import { MSG } from '../../../../src/qrexec/protocol/msg-type.js';
import { QREXEC_EXIT } from '../../../../src/qrexec/protocol/qrexec-constants.js';
import { codes, decoder, latin1, messages } from './support.js';

const stdout = (s: string) => ({ type: MSG.DATA_STDOUT, data: latin1(s) }) as const;
const stdin = (s: string) => ({ type: MSG.DATA_STDIN, data: latin1(s) }) as const;

describe('data channel: receiving', () => {
  it('gives the caller stdout, stderr, their EOFs and the exit code, which ends the call', () => {
    const c = new DataChannel('client');
    expect(c.receive(stdout('hi'))).toEqual({ kind: 'data', stream: 'stdout', data: latin1('hi') });
    expect(c.receive({ type: MSG.DATA_STDERR, data: latin1('oops') })).toMatchObject({ kind: 'data', stream: 'stderr' });
    expect(c.receive(stdout(''))).toEqual({ kind: 'eof', stream: 'stdout' });
    expect(c.receive(stdout('late'))).toEqual({ kind: 'discarded', stream: 'stdout', bytes: 4 });
    expect(c.receive({ type: MSG.DATA_EXIT_CODE, status: QREXEC_EXIT.SERVICE_NOT_FOUND })).toEqual({ kind: 'exit', status: 127 });
    expect(c.state).toBe('exited');
    expect(c.receive(stdout('x'))).toMatchObject({ kind: 'error', error: { code: 'AFTER_EXIT' } });
    expect(c.receive(stdout('x'))).toMatchObject({ kind: 'error', error: { code: 'FAILED' } });
  });

  it('reports data going the wrong way as a protocol error, not an exception', () => {
    expect(new DataChannel('client').receive(stdin('x'))).toMatchObject({ kind: 'error', error: { code: 'WRONG_DIRECTION' } });
    expect(new DataChannel('service').receive(stdout('x'))).toMatchObject({ kind: 'error', error: { code: 'WRONG_DIRECTION' } });
    expect(new DataChannel('service').receive({ type: MSG.DATA_EXIT_CODE, status: 0 })).toMatchObject({ kind: 'error', error: { code: 'WRONG_DIRECTION' } });
    expect(new DataChannel('service').receive({ type: MSG.HELLO, version: 3 })).toMatchObject({ kind: 'error', error: { code: 'UNKNOWN_TYPE' } });
    const s = new DataChannel('service');
    expect(s.receive(stdin('in'))).toMatchObject({ kind: 'data', stream: 'stdin' });
    expect(s.receive(stdin(''))).toEqual({ kind: 'eof', stream: 'stdin' });
  });
});

describe('data channel: sending', () => {
  it('cuts data into chunks of at most 64 KiB (4 KiB at protocol 2) and sends an empty message as EOF', () => {
    const c = new DataChannel('client');
    const r = c.send('stdin', new Uint8Array(65536 * 2 + 1));
    expect(r.ok && r.value.map((m) => m.length)).toEqual([65536 + 8, 65536 + 8, 1 + 8]);
    const v2 = new DataChannel('client', 2).send('stdin', new Uint8Array(5000));
    expect(v2.ok && v2.value.map((m) => m.length)).toEqual([4096 + 8, 904 + 8]);
    const eof = c.send('stdin', new Uint8Array());
    expect(eof.ok && eof.value.map((m) => m.length)).toEqual([8]);
    expect(c.send('stdin', latin1('x'))).toMatchObject({ ok: false, error: { code: 'AFTER_EOF' } });
    const back = decoder('data').push(Buffer.concat(r.ok ? r.value : []));
    expect(messages(back).map((m) => (m as { data: Uint8Array }).data.length)).toEqual([65536, 65536, 1]);
  });

  it('lets only the caller send stdin and only the service send stdout, stderr and one exit code', () => {
    const c = new DataChannel('client');
    expect(c.send('stdout', latin1('x'))).toMatchObject({ ok: false, error: { code: 'WRONG_DIRECTION' } });
    expect(c.exit(0)).toMatchObject({ ok: false, error: { code: 'WRONG_DIRECTION' } });
    const s = new DataChannel('service');
    expect(s.send('stdin', latin1('x'))).toMatchObject({ ok: false, error: { code: 'WRONG_DIRECTION' } });
    expect(s.send('stdout', latin1('out')).ok).toBe(true);
    const exit = s.exit(QREXEC_EXIT.REFUSED);
    expect(exit.ok && Buffer.from(exit.value).toString('hex')).toBe('93010000040000007e000000');
    expect(s.exit(0)).toMatchObject({ ok: false, error: { code: 'AFTER_EXIT' } });
    expect(s.send('stderr', latin1('x'))).toMatchObject({ ok: false, error: { code: 'AFTER_EXIT' } });
    expect(s.receive(stdin('still coming'))).toMatchObject({ kind: 'data', stream: 'stdin' });
    expect(codes(decoder('data').push(exit.ok ? exit.value : new Uint8Array()))).toEqual(['message']);
  });
});
