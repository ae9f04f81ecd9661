/**
 * The CLI's requests, over node:http: one connection per request, closed with its answer (a CLI
 * makes a few requests and exits; a kept-alive socket would hold the process open, and Node's
 * fetch, with the Request and Headers classes it brings, costs more to load than most commands
 * take to run). An answer that is not JSON, or an error that is not problem details, did not come
 * from a Cella manager: it is refused with what was reached instead.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { CliError, EXIT_RUNTIME } from './cli-error.js';

/** What the CLI reads of an answer. */
export interface Answer {
  readonly status: number;
  readonly statusText: string;
  readonly ok: boolean;
  readonly headers: { get(name: string): string | null };
}

export interface Sent {
  readonly method: string;
  readonly url: URL;
  readonly headers: Record<string, string>;
  readonly body?: string;
  readonly signal?: AbortSignal;
}

export async function send(req: Sent): Promise<{ answer: Answer; body: Buffer }> {
  const body = req.body === undefined ? undefined : Buffer.from(req.body);
  const headers: Record<string, string> = { ...req.headers, connection: 'close', ...(body ? { 'content-length': String(body.length) } : {}) };
  const request = req.url.protocol === 'https:' ? (await import('node:https')).request : httpRequest;
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    const r = request(req.url, { method: req.method, headers, agent: false, signal: req.signal }, resolve);
    r.on('error', reject);
    r.end(body);
  });
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  const data = Buffer.concat(chunks);
  checkCella(req, res, data);
  const status = res.statusCode ?? 0;
  const answer: Answer = {
    status,
    statusText: res.statusMessage ?? '',
    ok: status >= 200 && status < 300,
    headers: { get: (name) => [res.headers[name.toLowerCase()] ?? null].flat().join(', ') || null },
  };
  return { answer, body: data };
}

/** A Cella manager answers JSON (or nothing), and its errors are problem details with a code. */
function fromCella(res: IncomingMessage, data: Buffer): boolean {
  if (data.length === 0) return true;
  const type = contentType(res);
  if (type !== 'application/json' && type !== 'application/problem+json') return false;
  if ((res.statusCode ?? 0) < 400) return true;
  try {
    return typeof (JSON.parse(data.toString('utf8')) as { code?: unknown }).code === 'string';
  } catch {
    return false;
  }
}

const contentType = (res: IncomingMessage) => (res.headers['content-type'] ?? '').split(';')[0].trim().toLowerCase();

function checkCella(req: Sent, res: IncomingMessage, data: Buffer): void {
  if (fromCella(res, data)) return;
  const start = data.subarray(0, 200).toString('utf8').replace(/\s+/g, ' ').trim();
  const text = start.length > 60 ? `${start.slice(0, 60)}…` : start;
  const type = contentType(res) || 'no content type';
  throw new CliError(EXIT_RUNTIME, `${req.url.origin} is not a Cella manager: ${req.method} ${req.url.pathname} answered HTTP ${res.statusCode}, ${type}: ${JSON.stringify(text)} (check CELLA_URL)`);
}
