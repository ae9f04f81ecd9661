/** A qrexec call to decide: who calls which service, with which argument, towards which target. */
import { z } from 'zod';
import { err, ok, type Result } from './result.js';
import { normaliseArgument } from './service-argument.js';
import { canonicalQubeName } from './subject.js';
import { domainNamed, type SystemInfo } from './system-info.js';
import { parseToken } from './token.js';

export const PolicyRequestSchema = z.object({
  /** The calling qube (a name, or `uuid:<uuid>`); it need not exist. */
  source: z.string(),
  /** What the caller asked for: a qube name, `uuid:…`, `dom0`/`@adminvm`, `@dispvm[:X]`, `@default` or `''` (none). */
  target: z.string(),
  service: z.string(),
  /** qrexec form: `+` or `''` for no argument, `+value` otherwise (a value without `+` gets one). */
  argument: z.string(),
});

export type PolicyRequest = z.infer<typeof PolicyRequestSchema>;

function verifyTemplate(system: SystemInfo, ref: string): Result<null> {
  const name = canonicalQubeName(system, ref);
  const domain = name === undefined ? undefined : domainNamed(system, name);
  return domain?.template_for_dispvms === true ? ok(null) : err(`not a template for dispvm: ${ref}`);
}

/** The common case, a qube's name: no keyword, no uuid, not dom0. */
const isPlainName = (t: string): boolean => t !== '' && t[0] !== '@' && t !== '*' && t !== 'dom0' && !t.startsWith('uuid:');

/**
 * The requested target as the policy sees it: `''` and unknown qubes become `@default` (as qrexec does, with a
 * warning); keywords that only rules may use (`@anyvm`, `@tag:…`, …) and `@dispvm:X` for a non-template are refused.
 */
export function verifyRequestedTarget(requested: string, system: SystemInfo): Result<string> {
  if (isPlainName(requested)) return ok(domainNamed(system, requested) === undefined ? '@default' : requested);
  const text = requested === '' ? '@default' : requested;
  const token = parseToken(text, 'intendedtarget');
  if (!token.ok) return token;
  const t = token.value;
  if (t.kind === 'name' || t.kind === 'uuid') return ok(canonicalQubeName(system, text) === undefined ? '@default' : text);
  if (t.kind !== 'dispvm-template') return ok(text);
  const ref = t.template.by === 'name' ? t.template.name : `uuid:${t.template.uuid}`;
  const verified = verifyTemplate(system, ref);
  return verified.ok ? ok(text) : verified;
}

/** The argument in qrexec form. */
export const requestArgument = (request: PolicyRequest): string => normaliseArgument(request.argument);
