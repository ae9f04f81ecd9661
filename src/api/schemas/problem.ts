/** RFC 9457 problem details: the body of every 4xx and 5xx answer. */
import { z } from 'zod';
import { ERROR_CODES, type ErrorCode } from '../../vmm/errors.js';

export const PROBLEM_CONTENT_TYPE = 'application/problem+json';

export const Problem = z
  .object({
    type: z.string().describe('URI naming the problem kind: urn:cella:problem:<code in lower case>'),
    title: z.string().describe('Short summary of the problem kind'),
    status: z.number().int().describe('HTTP status code'),
    detail: z.string().describe('What went wrong with this request'),
    code: z.enum(Object.keys(ERROR_CODES) as [ErrorCode, ...ErrorCode[]]).describe('Stable machine-readable code'),
    instance: z.string().optional().describe('The request path'),
    errors: z
      .array(z.object({ path: z.string(), message: z.string() }))
      .optional()
      .describe('Validation failures, one per field'),
    details: z.record(z.string(), z.unknown()).optional().describe('Extra facts, e.g. the VMs that use a VM'),
  })
  .meta({ id: 'Problem' });

export type ProblemBody = z.infer<typeof Problem>;

const DESCRIPTIONS: Record<number, string> = {
  400: 'Bad request: the body, parameters or query do not validate',
  401: 'Missing or wrong bearer token',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict with the current state',
  413: 'Body larger than the limit',
  415: 'Unsupported content type',
  422: 'A value is not acceptable',
  507: 'The snapshot file could not be written (disk full, permissions)',
  500: 'Internal error',
};

/**
 * Response entries for the given error statuses, all problem+json. Any route that authenticates
 * (401) may also refuse a management VM's call by policy (403), so 401 brings 403 with it.
 */
export function problems(...statuses: number[]): Record<number, { description: string; content: Record<string, { schema: typeof Problem }> }> {
  const all = statuses.includes(401) && !statuses.includes(403) ? [...statuses, 403].sort() : statuses;
  return publicProblems(...all);
}

/** Response entries for routes open to every authenticated caller (no 403). */
export function publicProblems(...statuses: number[]): Record<number, { description: string; content: Record<string, { schema: typeof Problem }> }> {
  return Object.fromEntries(
    statuses.map((s) => [s, { description: DESCRIPTIONS[s] ?? 'Error', content: { [PROBLEM_CONTENT_TYPE]: { schema: Problem } } }]),
  );
}
