import { describe, expect, it } from 'vitest';
import { parseToken, type TokenContext } from '../../../../src/qrexec/policy/index.js';

const CONTEXTS: TokenContext[] = ['source', 'target', 'redirect', 'intendedtarget'];

/** token → the contexts where it is valid (qubes.md §2.4). */
const VALIDITY: Array<[string, TokenContext[]]> = [
  ['work', CONTEXTS],
  ['uuid:d8a249f1-b02b-4944-a9e5-437def2fbe2c', CONTEXTS],
  ['dom0', CONTEXTS],
  ['@adminvm', CONTEXTS],
  ['uuid:00000000-0000-0000-0000-000000000000', CONTEXTS],
  ['*', ['source', 'target']],
  ['@anyvm', ['source', 'target']],
  ['@default', ['target', 'intendedtarget']],
  ['@dispvm', ['target', 'redirect', 'intendedtarget']],
  ['@dispvm:default-dvm', CONTEXTS],
  ['@dispvm:uuid:f3e538bd-4427-4697-bed7-45ef3270df21', CONTEXTS],
  ['@dispvm:@tag:dvm', ['source', 'target']],
  ['@tag:work', ['source', 'target']],
  ['@type:AppVM', ['source', 'target']],
  ['@uuid:d8a249f1-b02b-4944-a9e5-437def2fbe2c', []],
  ['@invalid', []],
  ['', []],
];

describe('qube tokens per context', () => {
  for (const [token, valid] of VALIDITY) {
    for (const context of CONTEXTS) {
      const expected = valid.includes(context);
      it(`${expected ? 'accepts' : 'refuses'} ${JSON.stringify(token)} as ${context}`, () => {
        expect(parseToken(token, context).ok).toBe(expected);
      });
    }
  }
});

describe('token kinds', () => {
  it.each([
    ['dom0', 'adminvm'],
    ['@adminvm', 'adminvm'],
    ['uuid:00000000-0000-0000-0000-000000000000', 'adminvm'],
    ['uuid:d8a249f1-b02b-4944-a9e5-437def2fbe2c', 'uuid'],
    ['work', 'name'],
    ['*', 'any'],
    ['@dispvm:@tag:x', 'dispvm-tag'],
    ['@dispvm:x', 'dispvm-template'],
  ])('reads %s as a %s token', (text, kind) => {
    const t = parseToken(text, 'target');
    expect(t.ok && t.value.kind).toBe(kind);
  });

  it('keeps the text as written so that printing gives it back', () => {
    const t = parseToken('dom0', 'source');
    expect(t.ok && t.value.text).toBe('dom0');
  });

  it('reads the template of @dispvm:uuid:U as a uuid reference', () => {
    const t = parseToken('@dispvm:uuid:abc', 'redirect');
    expect(t.ok && t.value.kind === 'dispvm-template' && t.value.template).toEqual({ by: 'uuid', uuid: 'abc' });
  });
});

describe('token error messages', () => {
  it.each<[string, TokenContext, string]>([
    ['@invalid', 'source', "invalid source token: '@invalid'"],
    ['@default', 'source', "invalid source token: '@default'"],
    ['@dispvm', 'source', "invalid source token: '@dispvm'"],
    ['@anyvm', 'redirect', "invalid redirect token: '@anyvm'"],
    ['*', 'redirect', "invalid redirect token: '*'"],
    ['@tag:x', 'intendedtarget', "invalid intendedtarget token: '@tag:x'"],
    ['@tag:', 'target', "invalid empty @tag: token: '@tag:'"],
    ['@type:', 'source', "invalid empty @type: token: '@type:'"],
    ['@dispvm:', 'target', "invalid empty @dispvm: token: '@dispvm:'"],
    ['@dispvm:@tag:', 'target', "invalid empty @dispvm:@tag: token: '@dispvm:@tag:'"],
    ['@dispvm:@tag:', 'redirect', "invalid redirect token: '@dispvm:@tag:'"],
    ['@tag:', 'redirect', "invalid redirect token: '@tag:'"],
    ['@dispvm:@bogus', 'target', "invalid target token: '@dispvm:@bogus'"],
    ["@it's", 'target', `invalid target token: "@it's"`],
  ])('refuses %j as %s with %s', (text, context, message) => {
    expect(parseToken(text, context)).toEqual({ ok: false, error: message });
  });
});
