/** The answer of the policy to one call: allow (to which target), deny, or ask (among which targets), and why. */
import type { PolicyRule } from './rule.js';

/** The rule that decided, as `file:line` and its text. */
export interface RuleRef {
  readonly file: string;
  readonly line: number;
  readonly text: string;
}

export interface AskChoices {
  /** The targets the user may pick from, sorted; `@dispvm:X` means a new disposable from X. */
  readonly targets: readonly string[];
  /** Preselected choice (from `default_target=`), null when none or when it is not among the targets. */
  readonly defaultTarget: string | null;
}

export type DecisionAction = 'allow' | 'deny' | 'ask';

export interface Decision {
  readonly action: DecisionAction;
  /** For allow: where the call goes. `@dispvm:X` asks the caller to create a disposable from X; `dom0` for the AdminVM. Null otherwise. */
  readonly target: string | null;
  /** What the caller asked for, normalised (`''` and unknown qubes become `@default`). */
  readonly requestedTarget: string;
  /** `user=` of the rule; null runs the service as the target's default user. */
  readonly user: string | null;
  readonly autostart: boolean;
  /** Whether the user should be notified (allow/ask: `notify=yes`; deny: unless `notify=no`). */
  readonly notify: boolean;
  readonly askChoices: AskChoices | null;
  /** The first matching rule, or null when no rule matched (or the policy could not be loaded). */
  readonly rule: RuleRef | null;
  readonly reason: string;
}

export const ruleRef = (rule: PolicyRule): RuleRef => ({ file: rule.file, line: rule.line, text: rule.text });

export const at = (rule: PolicyRule): string => `${rule.file}:${rule.line}`;

export function denied(requestedTarget: string, rule: PolicyRule | null, reason: string, notify = true): Decision {
  return {
    action: 'deny',
    target: null,
    requestedTarget,
    user: null,
    autostart: false,
    notify,
    askChoices: null,
    rule: rule === null ? null : ruleRef(rule),
    reason,
  };
}
