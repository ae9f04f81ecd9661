/** Maps every refusal to problem details: the one place where error codes meet HTTP statuses. */
import type { FastifyError, FastifyReply, FastifyRequest } from 'fastify';
import { hasZodFastifySchemaValidationErrors } from 'fastify-type-provider-zod';
import { CellaError, ERROR_CODES, type ErrorCode } from '../vmm/errors.js';
import { PROBLEM_CONTENT_TYPE, type ProblemBody } from './schemas/problem.js';

export const HTTP_STATUS: Record<ErrorCode, number> = {
  VALIDATION_FAILED: 400,
  MALFORMED_REQUEST: 400,
  PAYLOAD_TOO_LARGE: 413,
  UNSUPPORTED_MEDIA_TYPE: 415,
  URI_TOO_LONG: 414,
  HEADERS_TOO_LARGE: 431,
  REQUEST_TIMEOUT: 408,
  UNAUTHORIZED: 401,
  ROUTE_NOT_FOUND: 404,
  VM_NOT_FOUND: 404,
  VM_EXISTS: 409,
  VM_IN_USE: 409,
  VM_PROTECTED: 409,
  PROPERTY_VALUE_INVALID: 422,
  TAG_NOT_FOUND: 404,
  FEATURE_NOT_FOUND: 404,
  INVALID_STATE: 409,
  IMAGE_NOT_FOUND: 404,
  IMAGE_EXISTS: 409,
  IMAGE_IN_USE: 409,
  IMAGE_INVALID: 422,
  POLICY_NOT_FOUND: 404,
  POLICY_INVALID: 422,
  POLICY_CONFLICT: 412,
  ASK_NOT_FOUND: 404,
  TOKEN_NOT_FOUND: 404,
  TOKEN_EXISTS: 409,
  SNAPSHOT_NOT_FOUND: 404,
  SNAPSHOT_INVALID: 422,
  SNAPSHOT_MISMATCH: 409,
  SNAPSHOT_IO: 507,
  FORBIDDEN: 403,
  LIMIT_EXCEEDED: 409,
  INTERNAL: 500,
};

export function problemOf(code: ErrorCode, detail: string, extra: Partial<ProblemBody> = {}): ProblemBody {
  return {
    type: `urn:cella:problem:${code.toLowerCase().replace(/_/g, '-')}`,
    title: ERROR_CODES[code],
    status: HTTP_STATUS[code],
    detail,
    code,
    ...extra,
  };
}

/** Sends the problem and logs it: a refusal as one info line (code, VM), a 5xx with its error, as its body promises. */
export function sendProblem(reply: FastifyReply, problem: ProblemBody, err?: unknown): FastifyReply {
  const log = reply.request.log;
  const vm = (reply.request.params as { name?: unknown } | undefined)?.name;
  const fields = { code: problem.code, status: problem.status, vm: typeof vm === 'string' ? vm.slice(0, 64) : undefined };
  if (problem.status >= 500) log.error({ ...fields, err }, 'request failed');
  else log.info({ ...fields, detail: problem.detail.slice(0, 200) }, 'request refused');
  return reply.code(problem.status).header('content-type', PROBLEM_CONTENT_TYPE).send(problem);
}

/** Fastify's own error codes, by what they mean to a client. */
const FASTIFY_CODES: Record<string, ErrorCode> = {
  FST_ERR_CTP_BODY_TOO_LARGE: 'PAYLOAD_TOO_LARGE',
  FST_ERR_CTP_INVALID_MEDIA_TYPE: 'UNSUPPORTED_MEDIA_TYPE',
  FST_ERR_CTP_INVALID_CONTENT_LENGTH: 'MALFORMED_REQUEST',
  FST_ERR_CTP_EMPTY_JSON_BODY: 'MALFORMED_REQUEST',
  FST_ERR_CTP_INVALID_JSON_BODY: 'MALFORMED_REQUEST',
  FST_ERR_BAD_URL: 'MALFORMED_REQUEST',
  FST_ERR_ASYNC_CONSTRAINT: 'MALFORMED_REQUEST',
  FST_ERR_MAX_PARAM_LENGTH: 'URI_TOO_LONG',
};

export function problemFromError(err: unknown, request: FastifyRequest): ProblemBody {
  const instance = request.url.split('?')[0];
  if (err instanceof CellaError) {
    return problemOf(err.code, err.message, { instance, ...(err.details ? { details: err.details } : {}) });
  }
  if (hasZodFastifySchemaValidationErrors(err)) {
    const errors = err.validation.map((v) => ({
      path: [err.validationContext ?? 'body', ...v.instancePath.split('/').filter(Boolean)].join('.'),
      message: v.message ?? 'invalid',
    }));
    return problemOf('VALIDATION_FAILED', errors.map((e) => `${e.path}: ${e.message}`).join('; '), { instance, errors });
  }
  const fe = err as Partial<FastifyError>;
  const mapped = fe.code ? FASTIFY_CODES[fe.code] : undefined;
  if (mapped === 'URI_TOO_LONG') return problemOf(mapped, 'a path parameter is longer than any valid value (at most 1024 characters)', { instance });
  if (mapped) return problemOf(mapped, fe.message ?? ERROR_CODES[mapped], { instance });
  if (err instanceof SyntaxError || fe.statusCode === 400) {
    return problemOf('MALFORMED_REQUEST', (err as Error).message, { instance });
  }
  if (fe.statusCode === 413) return problemOf('PAYLOAD_TOO_LARGE', fe.message ?? '', { instance });
  if (fe.statusCode === 415) return problemOf('UNSUPPORTED_MEDIA_TYPE', fe.message ?? '', { instance });
  return problemOf('INTERNAL', 'internal error; the manager logged the details', { instance });
}
