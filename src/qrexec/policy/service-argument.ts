/** The SERVICE and ARGUMENT fields of a rule, and the `service+argument` form of a call. */
import { invalidRpcChars } from './charsets.js';
import { pyRepr, pyTupleRepr } from './py-repr.js';
import { err, ok, type Result } from './result.js';

/** A rule's service and argument; null stands for `*`. */
export interface ServiceArgument {
  readonly service: string | null;
  readonly argument: string | null;
}

function checkService(service: string): string | null {
  const bad = invalidRpcChars(service, false);
  return bad.length === 0 ? null : `service ${pyRepr(service)} contains invalid characters: ${pyTupleRepr(bad)}`;
}

function checkArgument(argument: string, service: string | null): string | null {
  const bad = invalidRpcChars(argument, true);
  if (bad.length > 0) return `argument ${pyRepr(argument)} contains invalid characters: ${pyTupleRepr(bad)}`;
  if (!argument.startsWith('+')) return `argument ${pyRepr(argument)} does not start with +`;
  if (service === null) return 'only * argument allowed for * service';
  return null;
}

/** Validates the two fields as qrexec does: `*` or a name for SERVICE, `*`, `+` or `+value` for ARGUMENT. */
export function parseServiceArgument(serviceText: string, argumentText: string): Result<ServiceArgument> {
  const service = serviceText === '*' ? null : serviceText;
  const serviceProblem = service === null ? null : checkService(service);
  if (serviceProblem !== null) return err(serviceProblem);
  const argument = argumentText === '*' ? null : argumentText;
  const argumentProblem = argument === null ? null : checkArgument(argument, service);
  return argumentProblem === null ? ok({ service, argument }) : err(argumentProblem);
}

/**
 * A request's argument in qrexec form: always starting with `+`, `+` alone being the empty argument.
 * `''` (no argument) becomes `+`; a value given without the `+` gets it prefixed.
 */
export function normaliseArgument(argument: string): string {
  return argument.startsWith('+') ? argument : `+${argument}`;
}

/** Splits `service+argument` at the first `+`; without `+` the argument is empty (`+`). */
export function splitServiceName(call: string): { service: string; argument: string } {
  const plus = call.indexOf('+');
  return plus < 0 ? { service: call, argument: '+' } : { service: call.slice(0, plus), argument: call.slice(plus) };
}
