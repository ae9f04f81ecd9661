import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { CHANNEL_KINDS, type ChannelKind } from '../../../../src/qrexec/protocol/channel-kind.js';
import { MSG } from '../../../../src/qrexec/protocol/msg-type.js';
import { requestIdProblem, sanitizeTargetName } from '../../../../src/qrexec/protocol/qrexec-names.js';
import { QrexecDecoder, type DecodeEvent } from '../../../../src/qrexec/protocol/qrexec-decoder.js';
import { encodeFrame } from '../../../../src/qrexec/protocol/qrexec-encoder.js';
import { QrexecHandshake } from '../../../../src/qrexec/protocol/qrexec-handshake.js';
import { codes, decoder, encode, fields, header, latin1, messages } from './support.js';

const trigger3 = (target: string | Uint8Array, ident: string | Uint8Array, name: Uint8Array) =>
  encodeFrame(MSG.TRIGGER_SERVICE3, Buffer.concat([fields([target, 64], [ident, 32]), name]));
const NAME = latin1('qubes.Filecopy\0');
const refusal = (events: readonly DecodeEvent[]) => (events[0]?.kind === 'refused' ? events[0].refusal : undefined);

describe('what qrexec-daemon refuses from an agent', () => {
  it('drops the link on a bad length, an oversized name, a wrong-version trigger or an unknown type', () => {
    const cases: [Uint8Array, number, string][] = [
      [header(MSG.TRIGGER_SERVICE3, 96), 3, 'error:BAD_LENGTH'],
      [header(MSG.TRIGGER_SERVICE3, 96 + 65001), 3, 'error:TOO_BIG'],
      [header(MSG.TRIGGER_SERVICE3, 0xffff_ffff), 3, 'error:TOO_BIG'],
      [header(MSG.TRIGGER_SERVICE3, 100), 2, 'error:WRONG_VERSION'],
      [header(MSG.TRIGGER_SERVICE, 128), 3, 'error:WRONG_VERSION'],
      [header(MSG.TRIGGER_SERVICE, 127), 2, 'error:BAD_LENGTH'],
      [header(MSG.TRIGGER_SERVICE4, 200), 3, 'error:WRONG_VERSION'],
      [header(MSG.CONNECTION_TERMINATED, 7), 3, 'error:BAD_LENGTH'],
      [header(MSG.EXEC_CMDLINE, 20), 3, 'error:UNKNOWN_TYPE'],
      [header(MSG.DATA_STDOUT, 1), 3, 'error:UNKNOWN_TYPE'],
      [header(MSG.HELLO, 4), 3, 'error:UNKNOWN_TYPE'],
      [header(0x999, 0), 3, 'error:UNKNOWN_TYPE'],
    ];
    for (const [bytes, version, code] of cases) {
      const d = decoder('agent-to-daemon', version);
      expect(codes(d.push(bytes)), `${Buffer.from(bytes).toString('hex')} at v${version}`).toEqual([code]);
      expect(d.state).toBe('failed');
      expect(d.buffered).toBe(0);
    }
  });

  it('refuses a data port outside 513 … 768 in MSG_CONNECTION_TERMINATED', () => {
    const term = (port: number) => encode({ type: MSG.CONNECTION_TERMINATED, connectDomain: 2, connectPort: port });
    expect(codes(decoder('agent-to-daemon').push(term(512)))).toEqual(['error:BAD_PORT']);
    expect(codes(decoder('agent-to-daemon').push(term(769)))).toEqual(['error:BAD_PORT']);
    expect(codes(decoder('agent-to-daemon').push(term(768)))).toEqual(['message']);
  });

  it('sanitises target names (bad bytes become _) and keeps @, : and the service\'s + argument', () => {
    const d = decoder('agent-to-daemon');
    const out = messages(d.push(Buffer.concat([
      trigger3('vm;rm -rf /\xff', 'SOCKET7', latin1('qubes.Foo$+arg/x\0')),
      trigger3('@dispvm:fedora-40_dvm', 'SOCKET8', NAME),
      trigger3('a'.repeat(70), 'SOCKET9', NAME),
    ])));
    expect(out).toEqual([
      { type: MSG.TRIGGER_SERVICE3, targetDomain: 'vm_rm_-rf___', ident: 'SOCKET7', serviceName: 'qubes.Foo_+arg_x' },
      { type: MSG.TRIGGER_SERVICE3, targetDomain: '@dispvm:fedora-40_dvm', ident: 'SOCKET8', serviceName: 'qubes.Filecopy' },
      { type: MSG.TRIGGER_SERVICE3, targetDomain: 'a'.repeat(63), ident: 'SOCKET9', serviceName: 'qubes.Filecopy' },
    ]);
    expect(sanitizeTargetName('dom0\u0100x\0tail')).toBe('dom0_x');
  });

  it('answers a bad ident or service name with a refusal carrying the raw ident, and goes on', () => {
    const identWith = (s: string, rest = '') => fields([s, s.length], [rest, 32 - s.length]);
    const cases: [Uint8Array, string][] = [
      [trigger3('work', 'SOCK/ET', NAME), 'BAD_IDENT'],
      [trigger3('work', identWith('SOCKET1\0', 'x'), NAME), 'BAD_IDENT'],
      [trigger3('work', 'A'.repeat(32), NAME), 'BAD_IDENT'],
      [trigger3('work', 'SOCKET1', latin1('\0')), 'BAD_SERVICE_NAME'],
      [trigger3('work', 'SOCKET1', latin1('+arg\0')), 'BAD_SERVICE_NAME'],
      [trigger3('work', 'SOCKET1', latin1('qubes.Foo')), 'BAD_SERVICE_NAME'],
      [trigger3('work', 'SOCKET1', latin1('qubes\0Foo\0')), 'BAD_SERVICE_NAME'],
    ];
    for (const [bytes, code] of cases) {
      const d = decoder('agent-to-daemon');
      const events = d.push(Buffer.concat([bytes, trigger3('work', 'SOCKET2', NAME)]));
      expect(codes(events)).toEqual([`refused:${code}`, 'message']);
      expect(refusal(events)!.ident).toEqual(bytes.subarray(8 + 64, 8 + 96));
      expect(d.state).toBe('messages');
    }
    const v2 = decoder('agent-to-daemon', 2);
    const t2 = (service: string, ident: string) => encodeFrame(MSG.TRIGGER_SERVICE, fields([service, 64], ['work', 32], [ident, 32]));
    expect(codes(v2.push(t2('+x', 'SOCKET1')))).toEqual(['refused:BAD_SERVICE_NAME']);
    expect(codes(v2.push(t2('', 'SOCKET1')))).toEqual(['refused:BAD_SERVICE_NAME']);
    expect(codes(v2.push(t2('a', 'SOCKET!')))).toEqual(['refused:BAD_IDENT']);
    expect(messages(v2.push(t2('a'.repeat(64), 'ok')))).toEqual([{ type: MSG.TRIGGER_SERVICE, serviceName: 'a'.repeat(63), targetDomain: 'work', ident: 'ok' }]);
    expect(requestIdProblem(latin1('with space and-dash.dot_'.padEnd(32, '\0')))).toBeUndefined();
  });
});

describe('what the agent and the client refuse', () => {
  it('checks lengths of exec requests, refusals and the daemon\'s port answer', () => {
    expect(codes(decoder('daemon-to-agent').push(header(MSG.EXEC_CMDLINE, 8)))).toEqual(['error:BAD_LENGTH']);
    expect(codes(decoder('daemon-to-agent').push(header(MSG.EXEC_CMDLINE, 8 + 65536)))).toEqual(['error:TOO_BIG']);
    expect(codes(decoder('daemon-to-agent').push(header(MSG.SERVICE_REFUSED, 31)))).toEqual(['error:BAD_LENGTH']);
    expect(codes(decoder('daemon-to-agent').push(header(MSG.TRIGGER_SERVICE3, 100)))).toEqual(['error:UNKNOWN_TYPE']);
    expect(codes(decoder('daemon-to-client').push(header(MSG.EXEC_CMDLINE, 9)))).toEqual(['error:BAD_LENGTH']);
    expect(codes(decoder('client-to-daemon').push(header(MSG.SERVICE_REFUSED, 32)))).toEqual(['error:UNKNOWN_TYPE']);
  });

  it('reads a command line up to its first NUL, the last byte forced to NUL', () => {
    const exec = (cmd: string) => encodeFrame(MSG.EXEC_CMDLINE, Buffer.concat([new Uint8Array(8), latin1(cmd)]));
    expect(messages(decoder('daemon-to-agent').push(exec('user:ls\0junk\0')))).toMatchObject([{ cmdline: 'user:ls' }]);
    expect(messages(decoder('daemon-to-agent').push(exec('user:lsX')))).toMatchObject([{ cmdline: 'user:ls' }]);
  });
});

describe('data links', () => {
  it('refuses chunks over 64 KiB (4 KiB at protocol 2) from the header alone', () => {
    const d = decoder('data');
    expect(codes(d.push(header(MSG.DATA_STDIN, 65537)))).toEqual(['error:TOO_BIG']);
    expect(codes(decoder('data', 2).push(header(MSG.DATA_STDOUT, 4097)))).toEqual(['error:TOO_BIG']);
    expect(codes(decoder('data').push(header(MSG.EXEC_CMDLINE, 16)))).toEqual(['error:UNKNOWN_TYPE']);
  });

  it('refuses anything after the exit code, in the same push or later', () => {
    const exit = encode({ type: MSG.DATA_EXIT_CODE, status: 0 });
    const more = encode({ type: MSG.DATA_STDOUT, data: latin1('late') });
    const d = decoder('data');
    expect(codes(d.push(Buffer.concat([encode({ type: MSG.DATA_STDOUT, data: latin1('x') }), exit, more])))).toEqual([
      'message', 'message', 'error:AFTER_EXIT',
    ]);
    const d2 = decoder('data');
    expect(codes(d2.push(exit))).toEqual(['message']);
    expect(d2.state).toBe('exited');
    expect(codes(d2.push(more))).toEqual(['error:AFTER_EXIT']);
    expect(codes(d2.push(more))).toEqual(['error:FAILED']);
  });

  it('takes a short exit status as 255, like qrexec', () => {
    expect(messages(decoder('data').push(encodeFrame(MSG.DATA_EXIT_CODE, new Uint8Array([1]))))).toEqual([
      { type: MSG.DATA_EXIT_CODE, status: 255 },
    ]);
  });
});

describe('truncation', () => {
  it('reports a stream that ends inside a header or a payload, and nothing for a clean end', () => {
    const d = decoder('data');
    expect(d.push(header(MSG.DATA_STDOUT, 10).subarray(0, 5))).toEqual([]);
    expect(codes(d.end())).toEqual(['error:TRUNCATED']);
    const d2 = decoder('data');
    expect(d2.push(Buffer.concat([header(MSG.DATA_STDOUT, 10), latin1('abc')]))).toEqual([]);
    expect(d2.buffered).toBe(11);
    expect(codes(d2.end())).toEqual(['error:TRUNCATED']);
    const d3 = decoder('data');
    d3.push(encode({ type: MSG.DATA_STDOUT, data: latin1('abc') }));
    expect(d3.end()).toEqual([]);
  });
});

describe('handshake', () => {
  it('has the server speak first; both settle on the lower version', () => {
    const server = new QrexecHandshake({ role: 'server' });
    const client = new QrexecHandshake({ role: 'client' });
    const hello = server.start()!;
    expect(client.start()).toBeNull();
    const dc = new QrexecDecoder({ channel: 'data' });
    const [m] = messages(dc.push(hello));
    const r = client.receive((m as { version: number }).version);
    expect(r).toMatchObject({ ok: true, value: { version: 3 } });
    const ds = new QrexecDecoder({ channel: 'data' });
    const [back] = messages(ds.push(r.ok ? r.value.reply! : new Uint8Array()));
    expect(server.receive((back as { version: number }).version)).toEqual({ ok: true, value: { version: 3, reply: null } });
    expect(new QrexecHandshake({ role: 'client' }).receive(4)).toMatchObject({ ok: true, value: { version: 3 } });
    expect(new QrexecHandshake({ role: 'client', version: 4 }).receive(2)).toMatchObject({ ok: true, value: { version: 2 } });
  });

  it('refuses a version below the minimum (the client then sends nothing) and hellos out of turn', () => {
    const c = new QrexecHandshake({ role: 'client' });
    expect(c.receive(1)).toMatchObject({ ok: false, error: { code: 'VERSION_TOO_OLD' } });
    expect(c.state).toBe('failed');
    expect(new QrexecHandshake({ role: 'server', minVersion: 3 }).receive(2)).toMatchObject({ ok: false, error: { code: 'BAD_HELLO' } });
    const s = new QrexecHandshake({ role: 'server', minVersion: 3 });
    s.start();
    expect(s.receive(2)).toMatchObject({ ok: false, error: { code: 'VERSION_TOO_OLD' } });
    const twice = new QrexecHandshake({ role: 'client' });
    twice.receive(3);
    expect(twice.receive(3)).toMatchObject({ ok: false, error: { code: 'BAD_HELLO' } });
  });

  it('refuses a first message that is not a 4-byte MSG_HELLO', () => {
    expect(codes(new QrexecDecoder({ channel: 'data' }).push(header(MSG.HELLO, 8)))).toEqual(['error:BAD_HELLO']);
    expect(codes(new QrexecDecoder({ channel: 'agent-to-daemon' }).push(header(MSG.TRIGGER_SERVICE3, 100)))).toEqual(['error:BAD_HELLO']);
  });
});

describe('isolation', () => {
  it('never throws on garbage; after its one error a decoder yields nothing but FAILED, and other links go on', () => {
    const kinds = Object.keys(CHANNEL_KINDS) as ChannelKind[];
    fc.assert(fc.property(fc.constantFrom(...kinds), fc.boolean(), fc.array(fc.uint8Array({ maxLength: 300 }), { maxLength: 6 }), (kind, hello, chunks) => {
      const d = new QrexecDecoder({ channel: kind, hello });
      const other = decoder('data');
      const events = chunks.flatMap((c) => [...d.push(c), ...(d.state === 'await-version' ? d.setVersion(3) : [])]);
      events.push(...d.end());
      const firstError = events.findIndex((e) => e.kind === 'error');
      if (firstError >= 0) {
        expect(events.slice(firstError + 1).every((e) => e.kind === 'error' && e.error.code === 'FAILED')).toBe(true);
        expect(d.state).toBe('failed');
      }
      expect(codes(other.push(encode({ type: MSG.DATA_STDOUT, data: latin1('ok') })))).toEqual(['message']);
    }), { numRuns: 300 });
  });
});
