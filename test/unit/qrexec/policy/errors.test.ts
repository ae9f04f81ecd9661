import { describe, expect, it } from 'vitest';
import { compilePolicy, formatPolicyError, lint, lintMessages, policyTree } from '../../../../src/qrexec/policy/index.js';
import { compiled, decide, errorsOf, treeOf } from '../../../fixtures/policy/harness.js';

/** The single error a one-line policy produces, as file:line: message. */
const errorOf = (line: string): string[] => errorsOf(compiled(`# first line is a comment\n${line}`));

describe('syntax errors of rule lines, reported at file:line', () => {
  it.each<[string, string]>([
    ['test.Service +arg @anyvm @anyvm', 'wrong number of fields'],
    ['test.Service', 'wrong number of fields'],
    ['test.Service +arg @anyvm @anyvm invalid', 'invalid action: invalid'],
    ['test.Service +arg @anyvm @default allow,target=work', 'invalid action: allow,target=work'],
    ['test.Service +arg @anyvm @anyvm allow extra', "invalid action parameter syntax: 'extra'"],
    ['test.Service +arg @anyvm @anyvm allow notify', "invalid action parameter syntax: 'notify'"],
    ['test.Service +arg @anyvm @anyvm allow user=a user=b', "parameter given twice: 'user'"],
    ['test.Service +arg @anyvm @anyvm allow notify=xx', "'notify' is 'xx', but can be only 'yes' or 'no'"],
    ['test.Service +arg @anyvm @anyvm ask autostart=maybe', "'autostart' is 'maybe', but can be only 'yes' or 'no'"],
    ['test.Service +arg @anyvm @anyvm deny autostart=xx', "'autostart' is 'xx', but can be only 'yes' or 'no'"],
    ['test.Service +arg @anyvm @anyvm allow invalid=xx', "invalid parameters for action Allow: ['invalid=xx']"],
    ['test.Service +arg @anyvm @anyvm allow default_target=work', "invalid parameters for action Allow: ['default_target=work']"],
    ['test.Service +arg @anyvm @anyvm deny target=work', "invalid parameters for action Deny: ['target=work']"],
    ['test.Service +arg @anyvm @anyvm deny user=user notify=no', "invalid parameters for action Deny: ['user=user', 'notify=no']"],
    ['test.Service +arg @anyvm @anyvm deny autostart=no', "invalid parameters for action Deny: ['autostart=no']"],
    ['test.Service +arg @anyvm @default allow', 'allow action for @default rule must specify target= option'],
    ['test.Service +arg @anyvm @default allow target=@tag:x', "invalid redirect token: '@tag:x'"],
    ['test.Service +arg @anyvm @default allow target=@dispvm:@tag:x', "invalid redirect token: '@dispvm:@tag:x'"],
    ['test.Service +arg @anyvm @anyvm ask default_target=@anyvm', "invalid redirect token: '@anyvm'"],
    ['test.Service +arg @dispvm @default allow target=work', "invalid source token: '@dispvm'"],
    ['test.Service +arg @default @default allow target=work', "invalid source token: '@default'"],
    ['test.Service +arg @invalid @anyvm allow', "invalid source token: '@invalid'"],
    ['test.Service +arg @anyvm @invalid deny', "invalid target token: '@invalid'"],
    ['test.Service +arg @anyvm @tag: deny', "invalid empty @tag: token: '@tag:'"],
    ['test.Service arg @anyvm @anyvm deny', "argument 'arg' does not start with +"],
    ['test.Service +a/b @anyvm @anyvm deny', "argument '+a/b' contains invalid characters: ('/',)"],
    ['test.Service +a$b:c @anyvm @anyvm deny', "argument '+a$b:c' contains invalid characters: ('$', ':')"],
    ['test+Service * @anyvm @anyvm deny', "service 'test+Service' contains invalid characters: ('+',)"],
    ['* +arg @anyvm @anyvm deny', 'only * argument allowed for * service'],
  ])('%j → %s', (line, message) => {
    expect(errorOf(line)).toEqual([`10-test.policy:2: ${message}`]);
  });

  it('checks fields in qrexec order: service/argument, source, target, action, parameters', () => {
    expect(errorOf('a+b c @x @y bad x')).toEqual(["10-test.policy:2: service 'a+b' contains invalid characters: ('+',)"]);
    expect(errorOf('a * @x @y bad x')).toEqual(["10-test.policy:2: invalid source token: '@x'"]);
    expect(errorOf('a * @anyvm @y bad x')).toEqual(["10-test.policy:2: invalid target token: '@y'"]);
    expect(errorOf('a * @anyvm @anyvm bad x')).toEqual(['10-test.policy:2: invalid action: bad']);
  });

  it('accepts comments (also indented) and blank lines, but not inline comments', () => {
    expect(errorOf('   # indented comment\n\n   \t\n')).toEqual([]);
    expect(errorOf('test.Service * @anyvm @anyvm deny # no inline comments')).toEqual([
      "10-test.policy:2: invalid action parameter syntax: '#'",
    ]);
  });

  it('accepts tabs and runs of spaces between fields, and CRLF line ends', () => {
    expect(compiled('test.Service\t*\t @anyvm   @anyvm\tallow   notify=yes\r\nx * @anyvm @anyvm deny\r\n').ok).toBe(true);
  });
});

describe('directive errors', () => {
  it.each<[string, string]>([
    ['!include', 'invalid number of params'],
    ['!include a b', 'invalid number of params'],
    ['!include-dir', 'invalid number of params'],
    ['!include-service test.Service *', 'invalid number of params'],
    ['!compat-4.0 extra', 'invalid number of params'],
    ['!bogus x', 'invalid directive'],
    ['!include missing', 'not a file: missing'],
    ['!include-dir missing', 'not a directory: missing'],
    ['!include-service test.Service * missing', 'not a file: missing'],
    ['!include-service * +arg include/x', 'only * argument allowed for * service'],
    ['!include-service test+Service * include/x', "service 'test+Service' contains invalid characters: ('+',)"],
    ['!include ../outside', 'include path outside the policy tree: ../outside'],
    ['!include /etc/passwd', 'include path outside the policy tree: /etc/passwd'],
  ])('%j → %s', (line, message) => {
    expect(errorOf(line)).toEqual([`10-test.policy:2: ${message}`]);
  });
});

describe('error reporting', () => {
  it('denies every call while any file has an error, and says which', () => {
    const p = compilePolicy(treeOf('test.Service * @anyvm @anyvm allow', { '20-broken.policy': 'oops' }));
    const d = decide(p, { source: 'work', target: 'personal' });
    expect(d).toMatchObject({ action: 'deny', rule: null, notify: true });
    expect(d.reason).toBe('policy has errors: 20-broken.policy:1: wrong number of fields');
  });

  it('lint reports every error of every file, in reading order', () => {
    const tree = treeOf('bad line\nalso bad here x\n!include include/x', { 'include/x': 'a * @anyvm @anyvm maybe', '20-z.policy': '!nope' });
    expect(lintMessages(tree)).toEqual([
      '10-test.policy:1: wrong number of fields',
      '10-test.policy:2: wrong number of fields',
      'include/x:1: invalid action: maybe',
      '20-z.policy:1: invalid directive',
    ]);
    expect(lint(tree)[2]).toEqual({ file: 'include/x', line: 1, message: 'invalid action: maybe' });
  });

  it('lint of a good tree is empty', () => {
    expect(lint(treeOf('test.Service * @anyvm @anyvm allow'))).toEqual([]);
  });

  it('formats an error without a line as file: message', () => {
    expect(formatPolicyError({ file: 'X.policy', line: null, message: 'invalid filename: X.policy' })).toBe('X.policy: invalid filename: X.policy');
  });

  it('compiles an empty tree into a policy that denies everything', () => {
    const p = compilePolicy(policyTree([]));
    expect(p.ok).toBe(true);
    expect(decide(p, { source: 'work', target: 'personal' }).reason).toBe('no matching rule found');
  });
});
