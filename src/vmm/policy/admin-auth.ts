/**
 * Authorising management calls as Qubes does: a call by a management VM is the qrexec call of the
 * admin.* method to its destination (a VM, or dom0 for global methods), allowed only when the policy
 * allows it with target=dom0 (the call goes to qubesd). dom0 itself is not governed by the policy.
 */
import { evaluate, type Decision, type RuleRef } from '../../qrexec/policy/index.js';
import { DOM0_NAME } from '../config/dom0.js';

export interface Authorization {
  readonly allowed: boolean;
  readonly rule: RuleRef | null;
  readonly reason: string;
}

const DOM0_ALLOWED: Authorization = { allowed: true, rule: null, reason: 'dom0 is not subject to the policy' };

export function authorize(
  policy: Parameters<typeof evaluate>[0],
  system: Parameters<typeof evaluate>[2],
  caller: string,
  method: string,
  dest: string,
  argument = '',
): Authorization {
  if (caller === DOM0_NAME) return DOM0_ALLOWED;
  const decision: Decision = evaluate(policy, { source: caller, target: dest, service: method, argument }, system);
  if (decision.action === 'allow' && decision.target === DOM0_NAME) return { allowed: true, rule: decision.rule, reason: decision.reason };
  const reason =
    decision.action === 'allow'
      ? `${decision.reason}; an admin call must be allowed with target=dom0`
      : decision.action === 'ask'
        ? `${decision.reason}; admin calls are not asked`
        : decision.reason;
  return { allowed: false, rule: decision.rule, reason };
}
