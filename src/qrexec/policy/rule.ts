/** One policy rule, `SERVICE ARGUMENT SOURCE TARGET ACTION [PARAMS]`, in the new syntax or the old per-service syntax. */
import { parseAction, type RuleAction } from './action.js';
import { pyWords } from './charsets.js';
import { err, ok, type Result } from './result.js';
import { parseServiceArgument, type ServiceArgument } from './service-argument.js';
import { parseToken, type VmToken } from './token.js';

/** Where a rule came from: the file in the tree, its line, and the line's text. */
export interface RuleOrigin {
  readonly file: string;
  /** 1-based; 0 for the implicit deny rules that `!compat-4.0` adds. */
  readonly line: number;
  readonly text: string;
}

export interface PolicyRule extends ServiceArgument, RuleOrigin {
  readonly source: VmToken;
  readonly target: VmToken;
  readonly action: RuleAction;
}

interface RuleFields {
  readonly service: string;
  readonly argument: string;
  readonly source: string;
  readonly target: string;
  readonly action: string;
  readonly params: readonly string[];
}

/** Splits on runs of whitespace, as Python's str.split() does (Python's whitespace, not JavaScript's). */
export const words = pyWords;

function checkDefaultAllow(target: VmToken, action: RuleAction): string | null {
  if (target.kind === 'default' && action.kind === 'allow' && action.target === null) {
    return 'allow action for @default rule must specify target= option';
  }
  return null;
}

/** Builds a rule from its fields, checking them in qrexec's order so that the first problem reported is the same. */
export function ruleFromFields(f: RuleFields, origin: RuleOrigin): Result<PolicyRule> {
  const sa = parseServiceArgument(f.service, f.argument);
  if (!sa.ok) return sa;
  const source = parseToken(f.source, 'source');
  if (!source.ok) return source;
  const target = parseToken(f.target, 'target');
  if (!target.ok) return target;
  const action = parseAction(f.action, f.params);
  if (!action.ok) return action;
  const problem = checkDefaultAllow(target.value, action.value);
  if (problem !== null) return err(problem);
  return ok({ ...sa.value, source: source.value, target: target.value, action: action.value, ...origin });
}

/** A new-syntax line: five fields, then `key=value` parameters separated by whitespace. */
export function ruleFromLine(origin: RuleOrigin): Result<PolicyRule> {
  const [service, argument, source, target, action, ...params] = words(origin.text);
  if (action === undefined) return err('wrong number of fields');
  return ruleFromFields({ service, argument, source, target, action, params }, origin);
}

/**
 * An old-syntax line of an `!include-service` file: `SOURCE TARGET ACTION[,PARAM=VALUE...]` for a fixed
 * service and argument. `line` already has `$` turned into `@` and commas into spaces.
 */
export function ruleFromServiceLine(service: string, argument: string, line: string, origin: RuleOrigin): Result<PolicyRule> {
  const [source, target, action, ...params] = words(line);
  if (action === undefined) return err('wrong number of fields');
  return ruleFromFields({ service, argument, source, target, action, params }, origin);
}
