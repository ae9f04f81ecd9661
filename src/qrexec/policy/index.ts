/** The qrexec policy engine (Qubes policy v5): parse a policy tree once, then decide calls against a system snapshot. */
export { ACTION_DEFAULTS, ACTION_PARAMS, type ActionKind, type AllowAction, type AskAction, type DenyAction, type RuleAction } from './action.js';
export {
  ADMIN_METHODS,
  POLICY_ADMIN_METHODS,
  accessLevel,
  adminInclude,
  policyAdminInclude,
  type AdminAccess,
  type AdminMethod,
  type AdminScope,
} from './admin-methods.js';
export { answerAsk, type AskAnswer } from './ask.js';
export { compilePolicy, indexRules, rulesFor, type CompiledPolicy } from './compiled-policy.js';
export type { AskChoices, Decision, DecisionAction, RuleRef } from './decision.js';
export { defaultPolicyFiles, defaultPolicyTree, includeServiceLines } from './default-policy.js';
export { evaluate } from './evaluate.js';
export { readPolicyDir, writePolicyDir } from './fs-tree.js';
export { lint, lintMessages } from './lint.js';
export { parsePolicy, type ParsedPolicy } from './parse-policy.js';
export { formatPolicyError, type PolicyError, type PolicyErrors } from './policy-error.js';
export { LEGACY_POLICY_DIR, POLICY_SUFFIX, policyTree, treeFiles, type PolicyFile, type PolicyTree } from './policy-tree.js';
export { printPolicy, printRule, type PrintOptions } from './print.js';
export { PolicyRequestSchema, type PolicyRequest } from './request.js';
export type { Result } from './result.js';
export type { PolicyRule, RuleOrigin } from './rule.js';
export { normaliseArgument, splitServiceName } from './service-argument.js';
export {
  ADMINVM_NAME,
  ADMINVM_UUID,
  DOMAIN_TYPES,
  DomainInfoSchema,
  SystemInfoSchema,
  type DomainInfo,
  type SystemInfo,
} from './system-info.js';
export { parseToken, TOKEN_CONTEXTS, type QubeRef, type TokenContext, type TokenKind, type VmToken } from './token.js';
