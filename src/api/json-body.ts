/**
 * The JSON body parser: the body must be valid UTF-8 (a bad byte is refused, not replaced)
 * and valid JSON, parsed with Fastify's prototype-poisoning protection. JSON is the only body
 * type taken: anything else is 415.
 *
 * A route whose body schema has no required field (shutdown, suspend, resume) takes no body, an
 * empty body or `{}` alike; so does a route with no body schema (start, kill). Only a route that
 * needs fields refuses an empty body.
 */
import type { FastifyInstance, FastifyRequest } from 'fastify';
import type { ZodType } from 'zod';
import { CellaError } from '../vmm/errors.js';

const utf8 = new TextDecoder('utf-8', { fatal: true });

declare module 'fastify' {
  interface FastifyContextConfig {
    /** Set for every route: what an absent or empty body stands for (undefined: the route needs a body). */
    emptyBody?: { value: unknown };
  }
}

/** `{}` when the route's body schema accepts it, nothing when the route has no body schema. */
function emptyBodyOf(schema: unknown): { value: unknown } | undefined {
  if (schema === undefined) return { value: undefined };
  const parse = (schema as Partial<ZodType>).safeParse;
  return typeof parse === 'function' && parse.call(schema, {}).success ? { value: {} } : undefined;
}

const emptyBody = (request: FastifyRequest): { value: unknown } | undefined => request.routeOptions.config.emptyBody;

/** `METHOD /openapi/{path}` of each route whose body may be left out, for the OpenAPI document. */
export type OptionalBodies = Set<string>;

export const operationKey = (method: string, path: string): string => `${method.toUpperCase()} ${path}`;

export function registerJsonParser(app: FastifyInstance): OptionalBodies {
  const optional: OptionalBodies = new Set();
  app.addHook('onRoute', (route) => {
    const emptyBody = emptyBodyOf(route.schema?.body);
    route.config = { ...route.config, emptyBody };
    if (route.schema?.body !== undefined && emptyBody !== undefined) {
      for (const method of [route.method].flat()) optional.add(operationKey(method, route.url.replace(/:(\w+)/g, '{$1}')));
    }
  });
  app.addHook('preValidation', async (request) => {
    if (request.body === undefined || request.body === null) {
      const empty = emptyBody(request);
      if (empty !== undefined) request.body = empty.value;
    }
  });
  const parseJson = app.getDefaultJsonParser('error', 'error');
  app.removeAllContentTypeParsers();
  app.addContentTypeParser('application/json', { parseAs: 'buffer' }, (request, body, done) => {
    let text: string;
    try {
      text = utf8.decode(body as Buffer);
    } catch {
      done(new CellaError('MALFORMED_REQUEST', 'request body is not valid UTF-8'), undefined);
      return;
    }
    if (text.trim() === '') {
      const empty = emptyBody(request);
      if (empty !== undefined) done(null, empty.value);
      else done(new CellaError('MALFORMED_REQUEST', 'request body is empty; send a JSON document'), undefined);
      return;
    }
    parseJson(request, text, (err, value) => {
      if (err) done(new CellaError('MALFORMED_REQUEST', `request body is not valid JSON: ${err.message}`), undefined);
      else done(null, value);
    });
  });
  return optional;
}
