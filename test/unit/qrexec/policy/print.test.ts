import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { compilePolicy, parsePolicy, printPolicy, printRule, type CompiledPolicy, type Decision, type PolicyRule } from '../../../../src/qrexec/policy/index.js';
import { UUID } from '../../../fixtures/policy/system.js';
import { compiled, decide, treeOf, type Call } from '../../../fixtures/policy/harness.js';

const only = (text: string): PolicyRule => {
  const p = compiled(text);
  if (!p.ok) throw new Error(JSON.stringify(p.errors));
  return p.rules[0];
};

describe('printRule', () => {
  it.each<[string, string]>([
    ['test.Service +argument @anyvm @anyvm allow', 'test.Service\t+argument\t@anyvm\t@anyvm\tallow'],
    ['test.Service   *   @anyvm   @anyvm   deny', 'test.Service\t*\t@anyvm\t@anyvm\tdeny'],
    ['* * @anyvm @dispvm:default-dvm allow', '*\t*\t@anyvm\t@dispvm:default-dvm\tallow'],
    ['test.Service +a @tag:t @type:AppVM ask user=user target=work', 'test.Service\t+a\t@tag:t\t@type:AppVM\task target=work user=user'],
    ['test.Service + dom0 @adminvm allow target=@adminvm notify=yes autostart=no', 'test.Service\t+\tdom0\t@adminvm\tallow target=@adminvm notify=yes autostart=no'],
    ['test.Service * @anyvm @anyvm ask default_target=@dispvm notify=no autostart=yes', 'test.Service\t*\t@anyvm\t@anyvm\task default_target=@dispvm'],
    ['test.Service * @anyvm @anyvm deny notify=no', 'test.Service\t*\t@anyvm\t@anyvm\tdeny notify=no'],
    ['test.Service * @anyvm @anyvm deny notify=yes', 'test.Service\t*\t@anyvm\t@anyvm\tdeny'],
  ])('prints %j canonically', (line, printed) => {
    expect(printRule(only(line))).toBe(printed);
  });

  it('prints old-syntax rules in the new syntax with their service and argument', () => {
    const p = compilePolicy(treeOf('!include-service test.Service +x include/s', { 'include/s': '$anyvm $dispvm allow,user=root' }));
    expect(p.ok && printPolicy(p)).toBe('test.Service\t+x\t@anyvm\t@dispvm\tallow user=root\n');
  });

  it('can name where each rule came from', () => {
    const p = compilePolicy(treeOf('\ntest.Service * @anyvm @anyvm deny'));
    expect(p.ok && printPolicy(p, { origins: true })).toBe('# 10-test.policy:2\ntest.Service\t*\t@anyvm\t@anyvm\tdeny\n');
  });

  it('prints a parsed policy too, and nothing for no rules', () => {
    expect(printPolicy(parsePolicy(treeOf('# nothing')))).toBe('');
  });
});

// ---- random policies and requests ----

const QUBE_TOKENS = ['work', 'personal', 'vault', 'sys-net', 'debian-12', 'ghost', 'dom0', '@adminvm', `uuid:${UUID.work}`, `uuid:${UUID.dom0}`];
const MATCH_TOKENS = [...QUBE_TOKENS, '*', '@anyvm', '@tag:work', '@tag:dvm', '@type:AppVM', '@type:TemplateVM', '@dispvm:default-dvm', '@dispvm:@tag:dvm'];
const TARGET_TOKENS = [...MATCH_TOKENS, '@default', '@dispvm', '@dispvm:whonix-dvm', `@dispvm:uuid:${UUID.defaultDvm}`];
const REDIRECTS = ['work', 'personal', 'dom0', '@adminvm', '@dispvm', '@dispvm:default-dvm', `uuid:${UUID.vault}`, 'no-such-vm'];
const SERVICES = ['test.A', 'test.B', 'test.C'];

const optional = (key: string, values: readonly string[]) => fc.option(fc.constantFrom(...values.map((v) => `${key}=${v}`)), { nil: undefined });

const actionArb = fc.oneof(
  fc.tuple(fc.constant('deny'), optional('notify', ['yes', 'no'])),
  fc.tuple(fc.constant('allow'), optional('target', REDIRECTS), optional('user', ['root']), optional('notify', ['yes', 'no']), optional('autostart', ['yes', 'no'])),
  fc.tuple(
    fc.constant('ask'),
    optional('target', REDIRECTS),
    optional('default_target', REDIRECTS),
    optional('user', ['root']),
    optional('notify', ['yes', 'no']),
    optional('autostart', ['yes', 'no']),
  ),
);

const ruleArb = fc
  .record({
    service: fc.constantFrom('*', ...SERVICES),
    argument: fc.constantFrom('*', '+', '+x', '+y'),
    source: fc.constantFrom(...MATCH_TOKENS),
    target: fc.constantFrom(...TARGET_TOKENS),
    action: actionArb,
  })
  .map((r) => {
    const [word, ...params] = r.action.filter((p): p is string => p !== undefined);
    const needsRedirect = r.target === '@default' && word === 'allow' && !params.some((p) => p.startsWith('target='));
    const fixed = needsRedirect ? [...params, 'target=work'] : params;
    return [r.service, r.service === '*' ? '*' : r.argument, r.source, r.target, word, ...fixed].join(' ');
  });

const callArb: fc.Arbitrary<Call> = fc.record({
  source: fc.constantFrom('work', 'personal', 'vault', 'anon-whonix', 'debian-12', 'default-dvm', 'ghost', `uuid:${UUID.work}`),
  target: fc.constantFrom('work', 'personal', 'vault', 'sys-net', 'dom0', '@adminvm', '', '@default', '@dispvm', '@dispvm:default-dvm', 'no-such-vm', '@anyvm'),
  service: fc.constantFrom(...SERVICES, 'test.Other'),
  argument: fc.constantFrom('', '+x', '+y', '+z'),
});

const mustCompile = (text: string): CompiledPolicy => {
  const p = compilePolicy(treeOf(text));
  if (!p.ok) throw new Error(`${text}\n${JSON.stringify(p.errors)}`);
  return p;
};

/** A decision without where its rule lives, plus the rule's position in the policy. */
function comparable(p: CompiledPolicy, d: Decision) {
  const index = d.rule === null ? -1 : p.rules.findIndex((r) => r.file === d.rule?.file && r.line === d.rule?.line);
  const { rule: _rule, reason: _reason, ...rest } = d;
  return { ...rest, index };
}

describe('printed policies (property)', () => {
  it('parse back into a policy that decides every call the same', () => {
    fc.assert(
      fc.property(fc.array(ruleArb, { minLength: 1, maxLength: 25 }), fc.array(callArb, { minLength: 10, maxLength: 10 }), (lines, calls) => {
        const original = mustCompile(lines.join('\n'));
        const printed = printPolicy(original);
        const reparsed = mustCompile(printed);
        expect(printPolicy(reparsed)).toBe(printed);
        for (const c of calls) expect(comparable(reparsed, decide(reparsed, c))).toEqual(comparable(original, decide(original, c)));
      }),
      { numRuns: 150 },
    );
  });
});

/** Names dom0 anywhere: such a rule may add dom0 to an earlier `ask` (below). */
const namesDom0 = (line: string): boolean => ['dom0', '@adminvm', UUID.dom0].some((t) => line.includes(t));

describe('catch-all rules (property)', () => {
  // As in Qubes' collect_targets_for_ask, an ask's choices come from every matching rule of the
  // policy, and a deny takes back what it expands to: `*` expands dom0 by name, a rule naming dom0
  // the keyword @adminvm, so a later rule naming dom0 still offers it (docs/policy.md, "ask").
  it('no line added after a `* * * *` rule changes any decision, unless it names dom0', () => {
    const catchAll = fc.constantFrom('* * * * deny', '* * * * deny notify=no', '* * * * allow', '* * * * ask', '* * * * ask autostart=no', '* * * * allow user=root');
    fc.assert(
      fc.property(
        fc.array(ruleArb, { maxLength: 15 }),
        catchAll,
        fc.array(ruleArb.filter((line) => !namesDom0(line)), { minLength: 1, maxLength: 10 }),
        fc.array(callArb, { minLength: 10, maxLength: 10 }),
        (before, last, after, calls) => {
          const base = mustCompile([...before, last].join('\n'));
          const extended = mustCompile([...before, last, ...after].join('\n'));
          for (const c of calls) expect(decide(extended, c)).toEqual(decide(base, c));
        },
      ),
      { numRuns: 150 },
    );
  });
});

describe('catch-all rules and dom0', () => {
  it('a rule naming dom0 after `* * * * deny` still offers dom0 to an earlier ask, as Qubes does', () => {
    const call = { source: 'work', target: 'work', service: 'test.A', argument: '' };
    const base = mustCompile(['* * work work ask', '* * * * deny'].join('\n'));
    const extended = mustCompile(['* * work work ask', '* * * * deny', '* * work work allow target=dom0'].join('\n'));
    expect(decide(base, call).action).toBe('deny');
    expect(decide(extended, call)).toMatchObject({ action: 'ask', askChoices: { targets: ['dom0'] } });
  });
});
