/** Policy evaluation: the first rule whose service, argument, source and target match decides; no match denies. */
import type { AllowAction } from './action.js';
import { isLoopback, resolveAllowTarget, runsWithoutAutostart } from './allow-target.js';
import { decideAsk } from './ask.js';
import { rulesFor, type CompiledPolicy, type CompiledRule } from './compiled-policy.js';
import { at, denied, ruleRef, type Decision } from './decision.js';
import type { EvalContext } from './eval-context.js';
import { formatPolicyError, type PolicyErrors } from './policy-error.js';
import { requestArgument, verifyRequestedTarget, type PolicyRequest } from './request.js';
import type { PolicyRule } from './rule.js';
import { qubeSubject, targetSubject } from './subject.js';
import type { SystemInfo } from './system-info.js';

/** The first rule matching the call, scanning only the rules indexed for its service. */
export function firstMatch(rules: readonly CompiledRule[], ctx: EvalContext): PolicyRule | undefined {
  for (let i = 0; i < rules.length; i++) {
    const r = rules[i];
    if (r.argument !== null && r.argument !== ctx.argument) continue;
    if (r.source(ctx.source) && r.target(ctx.target)) return r.rule;
  }
  return undefined;
}

function decideAllow(rule: PolicyRule, action: AllowAction, ctx: EvalContext): Decision {
  const target = resolveAllowTarget(rule, action, ctx);
  if (!target.ok) return denied(ctx.requestedTarget, rule, target.error);
  if (!action.autostart && !runsWithoutAutostart(target.value, ctx.system)) {
    return denied(ctx.requestedTarget, rule, `target ${target.value} is denied because it would require autostart`, action.notify);
  }
  if (isLoopback(ctx.source, target.value, ctx.system)) {
    return denied(ctx.requestedTarget, rule, 'loopback qrexec connection not supported');
  }
  return {
    action: 'allow',
    target: target.value,
    requestedTarget: ctx.requestedTarget,
    user: action.user || null,
    autostart: action.autostart,
    notify: action.notify,
    askChoices: null,
    rule: ruleRef(rule),
    reason: `allowed by policy ${at(rule)}`,
  };
}

function decide(rule: PolicyRule, rules: readonly CompiledRule[], ctx: EvalContext): Decision {
  switch (rule.action.kind) {
    case 'deny':
      return denied(ctx.requestedTarget, rule, `denied by policy ${at(rule)}`, rule.action.notify);
    case 'allow':
      return decideAllow(rule, rule.action, ctx);
    case 'ask':
      return decideAsk(rule, rule.action, rules, ctx);
  }
}

function context(request: PolicyRequest, requestedTarget: string, system: SystemInfo): EvalContext {
  const source = qubeSubject(system, request.source);
  const target = targetSubject(system, requestedTarget, source);
  return { request, system, argument: requestArgument(request), requestedTarget, source, target };
}

/**
 * Decides one call. A policy that failed to compile denies everything; a target keyword the caller may not use
 * is refused before any rule is looked at; otherwise the first matching rule decides.
 */
export function evaluate(policy: CompiledPolicy | PolicyErrors, request: PolicyRequest, system: SystemInfo): Decision {
  const asked = request.target === '' ? '@default' : request.target;
  if (!policy.ok) return denied(asked, null, `policy has errors: ${policy.errors.map(formatPolicyError).join('; ')}`);
  const verified = verifyRequestedTarget(request.target, system);
  if (!verified.ok) return denied(asked, null, verified.error);
  const ctx = context(request, verified.value, system);
  const rules = rulesFor(policy, request.service);
  const rule = firstMatch(rules, ctx);
  return rule === undefined ? denied(ctx.requestedTarget, null, 'no matching rule found') : decide(rule, rules, ctx);
}
