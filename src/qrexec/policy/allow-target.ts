/** Where an allowed call goes: `target=` or the requested target, `@dispvm` and `@adminvm` resolved, then the autostart and loopback checks. */
import type { AllowAction } from './action.js';
import { at } from './decision.js';
import type { EvalContext } from './eval-context.js';
import { verifyRequestedTarget } from './request.js';
import { err, ok, type Result } from './result.js';
import type { PolicyRule } from './rule.js';
import { canonicalQubeName, type Subject } from './subject.js';
import { ADMINVM_NAME, domainNamed, type SystemInfo } from './system-info.js';

/** With `autostart=no` only running qubes qualify; dom0 always runs, a new disposable never does. */
export function runsWithoutAutostart(target: string, system: SystemInfo): boolean {
  if (target.startsWith('@dispvm')) return false;
  const name = canonicalQubeName(system, target);
  if (name === ADMINVM_NAME) return true;
  return name !== undefined && domainNamed(system, name)?.power_state === 'Running';
}

/** A qube cannot open a qrexec connection to itself (vchan limitation), whatever the policy says. */
export function isLoopback(source: Subject, target: string, system: SystemInfo): boolean {
  return source.name !== null && (canonicalQubeName(system, target) ?? target) === source.name;
}

/** Resolves the target of an allow rule, or says why the call cannot go anywhere. */
export function resolveAllowTarget(rule: PolicyRule, action: AllowAction, ctx: EvalContext): Result<string> {
  const chosen = action.target === null ? ok(ctx.requestedTarget) : verifyRequestedTarget(action.target.text, ctx.system);
  if (!chosen.ok) return chosen;
  const target = chosen.value;
  if (target === '@default') {
    return err(`policy define 'allow' action at ${at(rule)} but no target is specified by caller or policy`);
  }
  if (target === '@dispvm') {
    const template = ctx.source.domain?.default_dispvm ?? null;
    if (template === null) {
      return err(`policy define 'allow' action to @dispvm at ${at(rule)} but no DispVM base is set for this VM`);
    }
    return ok(`@dispvm:${template}`);
  }
  return ok(target === '@adminvm' ? ADMINVM_NAME : target);
}
