import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ChannelKind } from '../../../../src/qrexec/protocol/channel-kind.js';
import { MSG, msgTypeName } from '../../../../src/qrexec/protocol/msg-type.js';
import {
  MAX_DATA_CHUNK_V2, MAX_DATA_CHUNK_V3, MAX_QREXEC_CMD_LEN, MAX_SERVICE_NAME_LEN, QREXEC_EXIT, QREXEC_PROTOCOL_VERSION,
  VCHAN_BASE_DATA_PORT, VCHAN_BASE_PORT,
} from '../../../../src/qrexec/protocol/qrexec-constants.js';
import { QrexecDecoder } from '../../../../src/qrexec/protocol/qrexec-decoder.js';
import { encodeMessage } from '../../../../src/qrexec/protocol/qrexec-encoder.js';
import type { QrexecMessage } from '../../../../src/qrexec/protocol/qrexec-message.js';
import { codes, decoder, encode, latin1, messages } from './support.js';

const hex = (b: Uint8Array): string => Buffer.from(b).toString('hex');

describe('constants and types', () => {
  it('has qrexec.h\'s numbers', () => {
    expect(QREXEC_PROTOCOL_VERSION).toBe(3);
    expect([MAX_DATA_CHUNK_V2, MAX_DATA_CHUNK_V3, MAX_SERVICE_NAME_LEN, MAX_QREXEC_CMD_LEN]).toEqual([4096, 65536, 65000, 65535]);
    expect([VCHAN_BASE_PORT, VCHAN_BASE_DATA_PORT]).toEqual([512, 513]);
    expect(QREXEC_EXIT).toEqual({ PROBLEM: 125, REFUSED: 126, SERVICE_NOT_FOUND: 127 });
    expect(Object.values(MSG).map((t) => t.toString(16))).toEqual([
      '190', '191', '192', '193', '200', '201', '202', '203', '210', '211', '212', '213', '300',
    ]);
    expect(msgTypeName(0x212)).toBe('MSG_TRIGGER_SERVICE3');
    expect(msgTypeName(0x999)).toBe('0x999');
  });
});

describe('wire layout', () => {
  it('writes the header as two little-endian u32 and each payload struct in place', () => {
    expect(hex(encode({ type: MSG.HELLO, version: 3 }))).toBe('00030000' + '04000000' + '03000000');
    expect(hex(encode({ type: MSG.DATA_EXIT_CODE, status: 127 }))).toBe('93010000' + '04000000' + '7f000000');
    expect(hex(encode({ type: MSG.DATA_EXIT_CODE, status: -1 }))).toBe('93010000' + '04000000' + 'ffffffff');
    expect(hex(encode({ type: MSG.DATA_STDOUT, data: new Uint8Array() }))).toBe('91010000' + '00000000');
    expect(hex(encode({ type: MSG.EXEC_CMDLINE, connectDomain: 0, connectPort: 513, cmdline: 'user:ls' }))).toBe(
      '00020000' + '10000000' + '00000000' + '01020000' + Buffer.from('user:ls\0').toString('hex'));
    expect(hex(encode({ type: MSG.JUST_EXEC, connectDomain: 5, connectPort: 514, cmdline: null }))).toBe(
      '01020000' + '08000000' + '05000000' + '02020000');
    const connect = encode({ type: MSG.SERVICE_CONNECT, connectDomain: 7, connectPort: 515, ident: 'SOCKET11' });
    expect(connect.length).toBe(8 + 8 + 32);
    expect(Buffer.from(connect.subarray(16, 25)).toString('latin1')).toBe('SOCKET11\0');
    const t3 = encode({ type: MSG.TRIGGER_SERVICE3, targetDomain: 'work', ident: 'SOCKET9', serviceName: 'qubes.Filecopy+a' });
    expect(t3.length).toBe(8 + 96 + 17);
    expect(Buffer.from(t3.subarray(8, 12)).toString()).toBe('work');
    expect(Buffer.from(t3.subarray(8 + 64, 8 + 71)).toString()).toBe('SOCKET9');
    expect(Buffer.from(t3.subarray(8 + 96)).toString('latin1')).toBe('qubes.Filecopy+a\0');
    expect(encode({ type: MSG.TRIGGER_SERVICE, serviceName: 's', targetDomain: 't', ident: 'i' }).length).toBe(8 + 128);
    expect(encode({ type: MSG.TRIGGER_SERVICE4, sourceDomain: 'a', targetDomain: 't', ident: 'i', serviceName: 's' }).length).toBe(8 + 160 + 2);
    expect(hex(encode({ type: MSG.CONNECTION_TERMINATED, connectDomain: 3, connectPort: 513 }))).toBe('11020000' + '08000000' + '03000000' + '01020000');
  });

  it('refuses to encode what the structs cannot carry', () => {
    const bad = (msg: QrexecMessage, version?: number) => {
      const r = encodeMessage(msg, version);
      return r.ok ? 'ok' : r.error.code;
    };
    expect(bad({ type: MSG.DATA_STDIN, data: new Uint8Array(65537) })).toBe('TOO_BIG');
    expect(bad({ type: MSG.DATA_STDIN, data: new Uint8Array(4097) }, 2)).toBe('TOO_BIG');
    expect(bad({ type: MSG.DATA_STDIN, data: new Uint8Array(4096) }, 2)).toBe('ok');
    expect(bad({ type: MSG.SERVICE_REFUSED, ident: 'x'.repeat(32) })).toBe('BAD_FIELD');
    expect(bad({ type: MSG.SERVICE_REFUSED, ident: 'x'.repeat(31) })).toBe('ok');
    expect(bad({ type: MSG.TRIGGER_SERVICE3, targetDomain: 'a\0b', ident: 'i', serviceName: 's' })).toBe('BAD_FIELD');
    expect(bad({ type: MSG.TRIGGER_SERVICE3, targetDomain: 'a', ident: 'i', serviceName: 'é€' })).toBe('BAD_FIELD');
    expect(bad({ type: MSG.TRIGGER_SERVICE3, targetDomain: 'a', ident: 'i', serviceName: 's'.repeat(65000) })).toBe('TOO_BIG');
    expect(bad({ type: MSG.TRIGGER_SERVICE3, targetDomain: 'a', ident: 'i', serviceName: 's'.repeat(64999) })).toBe('ok');
    expect(bad({ type: MSG.EXEC_CMDLINE, connectDomain: 0, connectPort: 0, cmdline: 'c'.repeat(65535) })).toBe('TOO_BIG');
    expect(bad({ type: MSG.EXEC_CMDLINE, connectDomain: -1, connectPort: 0, cmdline: 'c' })).toBe('BAD_FIELD');
    expect(bad({ type: MSG.DATA_EXIT_CODE, status: 2 ** 31 })).toBe('BAD_FIELD');
    expect(bad({ type: MSG.TRIGGER_SERVICE, serviceName: 's'.repeat(64), targetDomain: 't', ident: 'i' })).toBe('BAD_FIELD');
  });
});

// ---- round trips ----

const nameChar = fc.constantFrom(...'abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_-.');
const str = (chars: fc.Arbitrary<string>, min: number, max: number) => fc.array(chars, { minLength: min, maxLength: max }).map((a) => a.join(''));
const target = str(fc.oneof(nameChar, fc.constantFrom('@', ':')), 0, 31);
const ident = str(fc.oneof(nameChar, fc.constant(' ')), 0, 31);
const service = fc.tuple(nameChar, str(fc.oneof(nameChar, fc.constant('+')), 0, 200)).map(([a, b]) => a + b);
const u32 = fc.nat({ max: 0xffff_ffff });
const byteString = str(fc.integer({ min: 1, max: 255 }).map((c) => String.fromCharCode(c)), 0, 300);
const dataPort = fc.integer({ min: 513, max: 513 + 255 });

/** Each message with the link kind and version whose receiver accepts it unchanged. */
const cases: fc.Arbitrary<[QrexecMessage, ChannelKind, number]> = fc.oneof(
  fc.record({ type: fc.constantFrom(MSG.DATA_STDIN, MSG.DATA_STDOUT, MSG.DATA_STDERR), data: fc.uint8Array({ maxLength: 2000 }) })
    .map((m) => [m, 'data', 3] as [QrexecMessage, ChannelKind, number]),
  fc.integer({ min: -(2 ** 31), max: 2 ** 31 - 1 }).map((status) => [{ type: MSG.DATA_EXIT_CODE, status }, 'data', 3]),
  fc.record({ type: fc.constantFrom(MSG.EXEC_CMDLINE, MSG.JUST_EXEC), connectDomain: u32, connectPort: u32, cmdline: byteString })
    .chain((m) => fc.constantFrom<ChannelKind>('daemon-to-agent', 'client-to-daemon').map((k) => [m, k, 3])),
  fc.record({ type: fc.constant(MSG.SERVICE_CONNECT), connectDomain: u32, connectPort: u32, ident: ident.filter((s) => s.length > 0) })
    .map((m) => [m, 'daemon-to-agent', 3]),
  fc.record({ type: fc.constantFrom(MSG.EXEC_CMDLINE, MSG.JUST_EXEC), connectDomain: u32, connectPort: u32, cmdline: fc.constant(null) })
    .map((m) => [m, 'daemon-to-client', 3]),
  fc.record({ type: fc.constant(MSG.SERVICE_CONNECT), connectDomain: u32, connectPort: u32, ident: fc.constant(null) })
    .map((m) => [m, 'daemon-to-client', 3]),
  fc.record({ type: fc.constant(MSG.SERVICE_REFUSED), ident }).map((m) => [m, 'daemon-to-agent', 3]),
  fc.record({ type: fc.constant(MSG.TRIGGER_SERVICE), serviceName: service.map((s) => s.slice(0, 63)), targetDomain: target, ident })
    .map((m) => [m, 'agent-to-daemon', 2]),
  fc.record({ type: fc.constant(MSG.TRIGGER_SERVICE3), targetDomain: target, ident, serviceName: service })
    .map((m) => [m, 'agent-to-daemon', 3]),
  fc.record({ type: fc.constant(MSG.TRIGGER_SERVICE4), sourceDomain: target, targetDomain: target, ident, serviceName: service })
    .map((m) => [m, 'agent-to-daemon', 4]),
  fc.record({ type: fc.constant(MSG.CONNECTION_TERMINATED), connectDomain: u32, connectPort: dataPort })
    .map((m) => [m, 'agent-to-daemon', 3]),
) as fc.Arbitrary<[QrexecMessage, ChannelKind, number]>;

describe('round trips', () => {
  it('decodes what it encodes, message by message', () => {
    fc.assert(fc.property(cases, ([msg, kind, version]) => {
      const events = decoder(kind, version).push(encode(msg, version));
      expect(codes(events)).toEqual(['message']);
      expect(messages(events)[0]).toEqual(msg);
    }), { numRuns: 400 });
  });

  it('decodes a stream the same however the bytes are split', () => {
    const stream = fc.array(cases.filter(([, k, v]) => k === 'agent-to-daemon' && v === 3), { maxLength: 8 });
    fc.assert(fc.property(stream, fc.array(fc.nat(400), { maxLength: 12 }), (list, cuts) => {
      const bytes = Buffer.concat(list.map(([m]) => encode(m)));
      const whole = decoder('agent-to-daemon').push(bytes);
      const d = decoder('agent-to-daemon');
      const bounds = [...new Set(cuts.map((c) => c % (bytes.length + 1)))].sort((a, b) => a - b);
      const pieces = [...bounds, bytes.length].map((end, i) => bytes.subarray(i === 0 ? 0 : bounds[i - 1], end));
      const split = pieces.flatMap((p) => d.push(p));
      expect(split).toEqual(whole);
      expect(messages(whole)).toEqual(list.map(([m]) => m));
      expect(d.end()).toEqual([]);
    }), { numRuns: 150 });
  });

  it('starts with the peer\'s hello and waits for the handshake before decoding further', () => {
    const d = new QrexecDecoder({ channel: 'data' });
    const bytes = Buffer.concat([encode({ type: MSG.HELLO, version: 4 }), encode({ type: MSG.DATA_STDOUT, data: new Uint8Array(5000) })]);
    expect(messages(d.push(bytes))).toEqual([{ type: MSG.HELLO, version: 4 }]);
    expect(d.state).toBe('await-version');
    expect(d.buffered).toBe(5008);
    expect(codes(d.setVersion(2))).toEqual(['error:TOO_BIG']);
    const d3 = new QrexecDecoder({ channel: 'data' });
    d3.push(bytes);
    expect(messages(d3.setVersion(3))).toEqual([{ type: MSG.DATA_STDOUT, data: new Uint8Array(5000) }]);
    expect(latin1('x')).toEqual(new Uint8Array([0x78]));
  });
});
