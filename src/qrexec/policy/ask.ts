/** The `ask` action: the choices offered to the user, and the decision once the user has answered. */
import type { AskAction } from './action.js';
import { runsWithoutAutostart, isLoopback } from './allow-target.js';
import { collectAskTargets, expandToken, resolveKeywords } from './ask-targets.js';
import { byCodePoint } from './charsets.js';
import { at, denied, ruleRef, type Decision } from './decision.js';
import type { EvalContext } from './eval-context.js';
import type { PolicyRequest } from './request.js';
import type { CompiledRule } from './compiled-policy.js';
import type { PolicyRule } from './rule.js';
import { qubeSubject } from './subject.js';
import type { SystemInfo } from './system-info.js';
import type { VmToken } from './token.js';

/** A token given in `target=` or `default_target=`, as concrete choices. */
function concreteChoices(token: VmToken, ctx: EvalContext): string[] {
  return [...resolveKeywords(expandToken(token, ctx.system), ctx.source)];
}

function askTargets(action: AskAction, rules: readonly CompiledRule[], ctx: EvalContext): string[] {
  const targets =
    action.target !== null ? concreteChoices(action.target, ctx) : collectAskTargets(rules, ctx.argument, ctx.source, ctx.system);
  const usable = action.autostart ? targets : targets.filter((t) => runsWithoutAutostart(t, ctx.system));
  return usable.sort(byCodePoint);
}

/** `default_target=` survives only if it is one of the choices (otherwise qrexec drops it with a warning). */
function defaultChoice(action: AskAction, targets: readonly string[], ctx: EvalContext): string | null {
  if (action.defaultTarget === null) return null;
  const choice = concreteChoices(action.defaultTarget, ctx)[0];
  return choice !== undefined && targets.includes(choice) ? choice : null;
}

export function decideAsk(rule: PolicyRule, action: AskAction, rules: readonly CompiledRule[], ctx: EvalContext): Decision {
  if (action.target?.kind === 'dispvm') {
    // Qubes offers the bare keyword and fails (KeyError) when the user approves it: Cella denies up front.
    return denied(ctx.requestedTarget, rule, `policy define 'ask' action with target=@dispvm at ${at(rule)}, which cannot be executed`);
  }
  const targets = askTargets(action, rules, ctx);
  if (targets.length === 0) {
    return denied(ctx.requestedTarget, rule, `policy define 'ask' action at ${at(rule)} but no target is available to choose from`);
  }
  return {
    action: 'ask',
    target: null,
    requestedTarget: ctx.requestedTarget,
    user: action.user || null,
    autostart: action.autostart,
    notify: action.notify,
    askChoices: { targets, defaultTarget: defaultChoice(action, targets, ctx) },
    rule: ruleRef(rule),
    reason: `ask the user, by policy ${at(rule)}`,
  };
}

/** The user's answer to an ask prompt: a chosen target, or a refusal. */
export type AskAnswer = { readonly allow: true; readonly target: string } | { readonly allow: false };

function refused(decision: Decision, reason: string, notify: boolean): Decision {
  return { ...decision, action: 'deny', target: null, user: null, autostart: false, askChoices: null, notify, reason };
}

/** Turns an ask decision and the user's answer into allow or deny; the choice must be offered, and not the caller itself. */
export function answerAsk(decision: Decision, answer: AskAnswer, request: PolicyRequest, system: SystemInfo): Decision {
  if (decision.action !== 'ask' || decision.askChoices === null) return decision;
  const where = decision.rule === null ? '' : ` ${decision.rule.file}:${decision.rule.line}`;
  if (!answer.allow) return refused(decision, `denied by the user${where}`, decision.notify);
  if (!decision.askChoices.targets.includes(answer.target)) {
    return refused(decision, `target ${answer.target} is not a valid choice`, true);
  }
  if (isLoopback(qubeSubject(system, request.source), answer.target, system)) {
    return refused(decision, 'loopback qrexec connection not supported', true);
  }
  return { ...decision, action: 'allow', target: answer.target, askChoices: null, reason: `allowed by the user${where}` };
}
