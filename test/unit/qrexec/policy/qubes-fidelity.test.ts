/** Cases where Cella once differed from Qubes' own parser (qubes-core-qrexec): whitespace, `uuid:`, `@adminvm` in deny, and what Qubes cannot execute. */
import { describe, expect, it } from 'vitest';
import { compilePolicy, lintMessages, parseToken, type Decision, type SystemInfo } from '../../../../src/qrexec/policy/index.js';
import { SYSTEM } from '../../../fixtures/policy/system.js';
import { compiled, decide, treeOf } from '../../../fixtures/policy/harness.js';

const choices = (d: Decision): readonly string[] | undefined => d.askChoices?.targets;

describe('whitespace is Python\'s (str.split / str.strip)', () => {
  const hex = (c: string): string => (c.codePointAt(0) ?? 0).toString(16).padStart(4, '0');
  it.each(['\x1c', '\x1d', '\x1e', '\x1f', '\x85', '\u00a0', '\u3000'].map((c) => [hex(c), c]))('separates fields with U+%s', (_, sep) => {
    const policy = ['test.Service', '*', 'work', 'personal', 'allow'].join(sep);
    expect(decide(policy, { source: 'work', target: 'personal' })).toMatchObject({ action: 'allow', rule: { line: 1 } });
  });

  it('strips Python whitespace at both ends of a line, so such a line may still be a comment', () => {
    expect(lintMessages(treeOf('\x1c\x85# a comment\x1f\ntest.Service * work personal allow\x1e'))).toEqual([]);
  });

  it('refuses a UTF-8 BOM (U+FEFF is not whitespace): the first line is not a rule', () => {
    const messages = lintMessages(treeOf('\ufefftest.Service * work personal allow'));
    expect(messages).toHaveLength(1);
    expect(messages[0]).toMatch(/^10-test\.policy:1: service '\ufefftest\.Service' contains invalid characters/);
    expect(lintMessages(treeOf('\ufeff# comment'))).toEqual(['10-test.policy:1: wrong number of fields']);
  });

  it('keeps U+FEFF inside a word rather than splitting on it', () => {
    expect(lintMessages(treeOf('test.Service\ufeff* work personal allow'))).toEqual(['10-test.policy:1: wrong number of fields']);
  });
});

describe('uuid: tokens', () => {
  it('reads a bare uuid: as a qube name, which matches no qube, rather than refusing the policy', () => {
    expect(parseToken('uuid:', 'target')).toEqual({ ok: true, value: { kind: 'name', text: 'uuid:' } });
    const p = compiled('test.Service * work uuid: allow\ntest.Service * work personal allow');
    expect(p.ok).toBe(true);
    expect(decide(p, { source: 'work', target: 'personal' })).toMatchObject({ action: 'allow', rule: { line: 2 } });
  });
});

describe('@adminvm in a deny rule', () => {
  it('removes only the keyword from an ask list: dom0 that * offered is still offered', () => {
    const p = compiled('test.Service * work @adminvm deny\ntest.Service * work * ask');
    const d = decide(p, { source: 'work', target: 'personal' });
    expect(d.action).toBe('ask');
    expect(choices(d)).toContain('dom0');
  });

  it('still denies a call to dom0 itself', () => {
    const p = compiled('test.Service * work @adminvm deny\ntest.Service * work * ask');
    expect(decide(p, { source: 'work', target: 'dom0' })).toMatchObject({ action: 'deny', rule: { line: 1 } });
  });

  it('a deny of dom0 by name removes dom0 as well (dom0 is an alias of @adminvm, as in Qubes)', () => {
    const rules = 'test.Service * work @adminvm allow\ntest.Service * work @default ask';
    expect(choices(decide(compiled(rules), { source: 'work', target: '' }))).toEqual(['dom0']);
    const denied = decide(compiled(`test.Service * work dom0 deny\n${rules}`), { source: 'work', target: '' });
    expect(denied).toMatchObject({ action: 'deny', reason: expect.stringMatching(/no target is available/) });
  });
});

describe('what Qubes cannot execute is denied (fail closed)', () => {
  it('denies ask target=@dispvm (Qubes offers the bare keyword and raises KeyError when it is approved)', () => {
    const d = decide('test.Service * @anyvm @anyvm ask target=@dispvm', { source: 'work', target: 'personal' });
    expect(d).toMatchObject({ action: 'deny', askChoices: null, rule: { line: 1 } });
    expect(d.reason).toMatch(/target=@dispvm/);
  });

  it('a @dispvm:X rule does not match @dispvm from a caller without default_dispvm (Qubes raises AttributeError): no rule, deny', () => {
    const system: SystemInfo = SYSTEM;
    expect(system.domains.vault.default_dispvm).toBeNull();
    const p = compilePolicy(treeOf('test.Service * vault @dispvm:default-dvm allow'));
    expect(decide(p, { source: 'vault', target: '@dispvm' })).toMatchObject({ action: 'deny', rule: null, reason: 'no matching rule found' });
  });
});
