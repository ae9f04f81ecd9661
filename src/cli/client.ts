/** The typed REST client of the CLI, generated from openapi/openapi.json; CELLA_URL and CELLA_TOKEN pick the server. */
import type WebSocket from 'ws';
import type { components } from '../../openapi/api.js';
import { CliError, EXIT_NO_SUCH_VM, EXIT_RUNTIME } from './cli-error.js';
import { fieldOnly, problemText, type FieldNames } from './problem-text.js';
import { restClient, type Api } from './rest-client.js';

export type { Api } from './rest-client.js';

export type Problem = components['schemas']['Problem'];
export type Vm = components['schemas']['Vm'];
export type PropertyInfo = components['schemas']['PropertyInfo'];
export type HostView = components['schemas']['HostView'];
/** What the CLI reads of an answer's status (rest-client.ts's Answer). */
type Status = { readonly ok: boolean; readonly status: number; readonly statusText: string };

export const DEFAULT_URL = 'http://127.0.0.1:7440';

export function serverUrl(env: NodeJS.ProcessEnv = process.env): string {
  return (env.CELLA_URL ?? DEFAULT_URL).replace(/\/+$/, '');
}

/** The bearer token header, when CELLA_TOKEN gives one. */
export function authHeaders(env: NodeJS.ProcessEnv = process.env): Record<string, string> {
  return env.CELLA_TOKEN ? { authorization: `Bearer ${env.CELLA_TOKEN}` } : {};
}

/** A websocket to `path` on the manager (a ws:// URL for its http:// one), with the token. `ws` is loaded only here: most commands need none. */
export async function openWebSocket(path: string): Promise<WebSocket> {
  const { default: Socket } = await import('ws');
  return new Socket(`${serverUrl().replace(/^http/, 'ws')}${path}`, { headers: authHeaders() });
}

export function apiClient(env: NodeJS.ProcessEnv = process.env): Api {
  const baseUrl = serverUrl(env);
  return restClient(baseUrl, authHeaders(env), (err) => {
    if (err instanceof CliError || (err as Error).name === 'AbortError') throw err;
    const cause = (err as NodeJS.ErrnoException).code ?? (err as Error).message;
    throw new CliError(EXIT_RUNTIME, `cannot reach the Cella manager at ${baseUrl} (${cause}); is it running? (CELLA_URL)`);
  });
}

/** The data of a response, or a CliError carrying the problem in the command's words and the Qubes exit code for it. */
export function unwrap<T>(result: { data?: T; error?: unknown; response: Status }, fields: FieldNames = fieldOnly): T {
  if (result.error === undefined && result.response.ok) return result.data as T;
  throw problemError(result.error, result.response, fields);
}

export function problemError(error: unknown, response: Status, fields: FieldNames = fieldOnly): CliError {
  const problem = (error ?? {}) as Partial<Problem>;
  const detail = problemText(problem, fields) ?? `HTTP ${response.status} ${response.statusText}`;
  return new CliError(problem.code === 'VM_NOT_FOUND' ? EXIT_NO_SUCH_VM : EXIT_RUNTIME, detail, problem.code, problem.details);
}

/** Every VM, following pages. */
export async function allVms(api: Api): Promise<Vm[]> {
  const vms: Vm[] = [];
  for (let offset = 0; ; offset += 1000) {
    const page = unwrap(await api.GET('/api/v1/vms', { params: { query: { offset, limit: 1000 } } }));
    vms.push(...page.items);
    if (vms.length >= page.total || page.items.length === 0) return vms;
  }
}

export async function getVm(api: Api, name: string): Promise<Vm> {
  return unwrap(await api.GET('/api/v1/vms/{name}', { params: { path: { name } } }));
}

/** The host's CPUs and each running VM's CPU and CPU% (GET /api/v1/host). */
export async function hostView(api: Api): Promise<HostView> {
  return unwrap(await api.GET('/api/v1/host'));
}

export async function propertyCatalogue(api: Api): Promise<PropertyInfo[]> {
  return unwrap(await api.GET('/api/v1/properties')).properties;
}
