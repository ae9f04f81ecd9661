/** Prints rules back in canonical new (v5) syntax, one line per rule, includes already expanded. */
import { ACTION_DEFAULTS, type RuleAction } from './action.js';
import type { CompiledPolicy } from './compiled-policy.js';
import type { ParsedPolicy } from './parse-policy.js';
import type { PolicyRule } from './rule.js';

function actionParams(a: RuleAction): string[] {
  if (a.kind === 'deny') return a.notify === ACTION_DEFAULTS.deny.notify ? [] : [`notify=${a.notify ? 'yes' : 'no'}`];
  const params: string[] = [];
  if (a.target !== null) params.push(`target=${a.target.text}`);
  if (a.kind === 'ask' && a.defaultTarget !== null) params.push(`default_target=${a.defaultTarget.text}`);
  if (a.user !== null) params.push(`user=${a.user}`);
  if (a.notify !== ACTION_DEFAULTS[a.kind].notify) params.push(`notify=${a.notify ? 'yes' : 'no'}`);
  if (a.autostart !== ACTION_DEFAULTS[a.kind].autostart) params.push(`autostart=${a.autostart ? 'yes' : 'no'}`);
  return params;
}

/** `SERVICE<TAB>ARGUMENT<TAB>SOURCE<TAB>TARGET<TAB>ACTION [PARAM=VALUE ...]`; parameters at their default are left out. */
export function printRule(rule: PolicyRule): string {
  const action = [rule.action.kind, ...actionParams(rule.action)].join(' ');
  return [rule.service ?? '*', rule.argument ?? '*', rule.source.text, rule.target.text, action].join('\t');
}

export interface PrintOptions {
  /** Precede each rule with a `# file:line` comment naming where it came from. */
  readonly origins?: boolean;
}

/** The whole policy as one new-syntax file that parses back into the same rules in the same order. */
export function printPolicy(policy: CompiledPolicy | ParsedPolicy, options: PrintOptions = {}): string {
  const lines = policy.rules.flatMap((r) => (options.origins ? [`# ${r.file}:${r.line}`, printRule(r)] : [printRule(r)]));
  return lines.length === 0 ? '' : `${lines.join('\n')}\n`;
}
