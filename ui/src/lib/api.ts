/** fetch() against the manager's API: JSON in, JSON out, refusals as ApiError carrying the problem details. */
import type { components } from '../../../openapi/api.js';
import { needToken, token } from './token.js';

export type Schemas = components['schemas'];
export type Vm = Schemas['Vm'];
export type Problem = Schemas['Problem'] | { code: 'NETWORK'; status: 0; title: string; detail: string; errors?: undefined; details?: undefined };

export class ApiError extends Error {
  constructor(readonly problem: Problem) {
    super(problem.detail);
  }
}

export const enc = encodeURIComponent;

export interface Answer<T> {
  data: T;
  etag: string | null;
}

export async function call<T>(method: string, path: string, body?: unknown, headers: Record<string, string> = {}): Promise<Answer<T>> {
  const secret = token.get();
  const init: RequestInit = {
    method,
    headers: {
      accept: 'application/json',
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
      ...(secret ? { authorization: `Bearer ${secret}` } : {}),
      ...headers,
    },
    ...(body === undefined ? {} : { body: JSON.stringify(body) }),
  };
  let res: Response;
  try {
    res = await fetch(path, init);
  } catch (err) {
    throw new ApiError({ code: 'NETWORK', status: 0, title: 'No answer', detail: `the manager did not answer (${String(err)})` });
  }
  const text = await res.text();
  const data = text ? (JSON.parse(text) as unknown) : undefined;
  if (!res.ok) {
    const problem = (data ?? { code: 'INTERNAL', status: res.status, title: res.statusText, detail: res.statusText }) as Problem;
    if (res.status === 401) needToken(problem.detail);
    throw new ApiError(problem);
  }
  return { data: data as T, etag: res.headers.get('etag') };
}

export const get = async <T>(path: string): Promise<T> => (await call<T>('GET', path)).data;
export const post = async <T>(path: string, body?: unknown): Promise<T> => (await call<T>('POST', path, body)).data;

/** A refusal as one line: `detail` (which names the field or state) or the title. */
export function messageOf(err: unknown): string {
  if (err instanceof ApiError) return err.problem.detail || err.problem.title;
  return err instanceof Error ? err.message : String(err);
}

/** Field → message, from a problem: `errors[].path` (body.properties.memory → memory) and `details.property`. */
export function fieldErrors(err: unknown): Record<string, string> {
  if (!(err instanceof ApiError)) return {};
  const out: Record<string, string> = {};
  for (const e of err.problem.errors ?? []) {
    const parts = e.path.split('.').filter((p) => p !== 'body' && p !== 'properties');
    if (parts[0]) out[parts[0]] = e.message;
  }
  const property = err.problem.details?.property;
  if (typeof property === 'string') out[property] = err.problem.detail;
  return out;
}
