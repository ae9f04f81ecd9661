/**
 * The typed REST client: openapi-fetch's client type over the paths generated from
 * openapi/openapi.json (`api.GET('/api/v1/vms/{name}', { params: { path: { name } } })` is checked
 * against the document), with a small runtime of its own over node:http (http-transport.ts)
 * instead of openapi-fetch's, which needs fetch. A result is `{ data }` or `{ error }` (the problem),
 * with `response` the answer's status, statusText, ok and headers only (an `Answer`, not a fetch Response).
 */
import type { Client } from 'openapi-fetch';
import type { paths } from '../../openapi/api.js';
import { send, type Answer } from './http-transport.js';

export type Api = Client<paths>;

interface Init {
  params?: { path?: Record<string, unknown>; query?: Record<string, unknown> };
  body?: unknown;
  headers?: Record<string, string>;
  signal?: AbortSignal;
}

/** `/a/{name}` with `name` filled in, encoded; the query in form style (arrays repeat the key). */
export function requestUrl(baseUrl: string, template: string, params: Init['params'] = {}): URL {
  const path = template.replace(/\{([^}]+)\}/g, (_, key: string) => encodeURIComponent(String(params.path?.[key] ?? '')));
  const url = new URL(`${baseUrl}${path}`);
  for (const [key, value] of Object.entries(params.query ?? {})) {
    for (const v of Array.isArray(value) ? value : [value]) if (v !== undefined && v !== null) url.searchParams.append(key, String(v));
  }
  return url;
}

export function restClient(baseUrl: string, headers: Record<string, string>, onError: (err: unknown) => never): Api {
  const call = (method: string) => async (template: string, init: Init = {}) => {
    const body = init.body === undefined ? undefined : JSON.stringify(init.body);
    const sent = {
      method,
      url: requestUrl(baseUrl, template, init.params),
      headers: { ...headers, ...(body === undefined ? {} : { 'content-type': 'application/json' }), ...init.headers },
      body,
      signal: init.signal,
    };
    const { answer, body: data } = await send(sent).catch(onError);
    return result(answer, data);
  };
  return { GET: call('GET'), POST: call('POST'), PUT: call('PUT'), PATCH: call('PATCH'), DELETE: call('DELETE') } as unknown as Api;
}

function result(answer: Answer, data: Buffer): { data?: unknown; error?: unknown; response: Answer } {
  const text = data.toString('utf8');
  let value: unknown = undefined;
  try {
    value = text === '' ? undefined : JSON.parse(text);
  } catch {
    value = text;
  }
  return answer.ok ? { data: value, response: answer } : { error: value, response: answer };
}
