/** The ACTION of a rule (allow, deny, ask) with its parameters and their defaults (qubes.md §2.5). */
import { pyListRepr, pyRepr } from './py-repr.js';
import { err, ok, type Result } from './result.js';
import { parseToken, type VmToken } from './token.js';

export interface AllowAction {
  readonly kind: 'allow';
  /** `target=`: redirects the call. */
  readonly target: VmToken | null;
  readonly user: string | null;
  readonly notify: boolean;
  readonly autostart: boolean;
}

export interface AskAction {
  readonly kind: 'ask';
  readonly target: VmToken | null;
  /** `default_target=`: preselected in the prompt when it is one of the choices. */
  readonly defaultTarget: VmToken | null;
  readonly user: string | null;
  readonly notify: boolean;
  readonly autostart: boolean;
}

export interface DenyAction {
  readonly kind: 'deny';
  readonly notify: boolean;
}

export type RuleAction = AllowAction | AskAction | DenyAction;
export type ActionKind = RuleAction['kind'];

/** Parameters each action takes; anything else is a syntax error. */
export const ACTION_PARAMS: Readonly<Record<ActionKind, readonly string[]>> = {
  allow: ['target', 'user', 'notify', 'autostart'],
  ask: ['target', 'default_target', 'user', 'notify', 'autostart'],
  deny: ['notify'],
};

/** Defaults when a parameter is not given: only deny notifies by default. */
export const ACTION_DEFAULTS = {
  allow: { notify: false, autostart: true },
  ask: { notify: false, autostart: true },
  deny: { notify: true },
} as const;

const CLASS_NAMES: Readonly<Record<ActionKind, string>> = { allow: 'Allow', ask: 'Ask', deny: 'Deny' };
const isActionKind = (word: string): word is ActionKind => word === 'allow' || word === 'ask' || word === 'deny';

function splitParams(params: readonly string[]): Result<Map<string, string>> {
  const map = new Map<string, string>();
  for (const param of params) {
    const eq = param.indexOf('=');
    if (eq < 0) return err(`invalid action parameter syntax: ${pyRepr(param)}`);
    const key = param.slice(0, eq);
    if (map.has(key)) return err(`parameter given twice: ${pyRepr(key)}`);
    map.set(key, param.slice(eq + 1));
  }
  return ok(map);
}

function checkBooleans(map: ReadonlyMap<string, string>): string | null {
  for (const key of ['notify', 'autostart']) {
    const value = map.get(key);
    if (value !== undefined && value !== 'yes' && value !== 'no') {
      return `${pyRepr(key)} is ${pyRepr(value)}, but can be only 'yes' or 'no'`;
    }
  }
  return null;
}

function redirect(map: ReadonlyMap<string, string>, key: string): Result<VmToken | null> {
  const value = map.get(key);
  return value === undefined ? ok(null) : parseToken(value, 'redirect');
}

const flag = (map: ReadonlyMap<string, string>, key: string, fallback: boolean): boolean =>
  map.has(key) ? map.get(key) === 'yes' : fallback;

function build(kind: ActionKind, map: ReadonlyMap<string, string>): Result<RuleAction> {
  if (kind === 'deny') return ok({ kind, notify: flag(map, 'notify', ACTION_DEFAULTS.deny.notify) });
  const target = redirect(map, 'target');
  if (!target.ok) return target;
  const common = {
    target: target.value,
    user: map.get('user') ?? null,
    notify: flag(map, 'notify', ACTION_DEFAULTS[kind].notify),
    autostart: flag(map, 'autostart', ACTION_DEFAULTS[kind].autostart),
  };
  if (kind === 'allow') return ok({ kind, ...common });
  const defaultTarget = redirect(map, 'default_target');
  return defaultTarget.ok ? ok({ kind, ...common, defaultTarget: defaultTarget.value }) : defaultTarget;
}

/** Parses the action word and its `key=value` parameters, in the order qrexec checks them. */
export function parseAction(word: string, params: readonly string[]): Result<RuleAction> {
  if (!isActionKind(word)) return err(`invalid action: ${word}`);
  const map = splitParams(params);
  if (!map.ok) return map;
  const boolProblem = checkBooleans(map.value);
  if (boolProblem !== null) return err(boolProblem);
  const allowed = ACTION_PARAMS[word];
  if ([...map.value.keys()].some((key) => !allowed.includes(key))) {
    return err(`invalid parameters for action ${CLASS_NAMES[word]}: ${pyListRepr(params)}`);
  }
  return build(word, map.value);
}
