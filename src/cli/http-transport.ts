/**
 * The CLI's fetch for openapi-fetch, over node:http: one connection per request, closed with its
 * answer (a CLI makes a few requests and exits; a kept-alive socket would hold the process open,
 * and Node's own fetch costs more to load than most commands take to run). An answer that is not
 * JSON, or an error that is not problem details, did not come from a Cella manager: it is refused
 * with what was reached instead.
 */
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { CliError, EXIT_RUNTIME } from './cli-error.js';

/** Statuses whose answer has no body (a Response refuses one). */
const NO_BODY = new Set([101, 204, 205, 304]);

export async function httpFetch(req: Request): Promise<Response> {
  const url = new URL(req.url);
  const body = req.body ? Buffer.from(await req.arrayBuffer()) : undefined;
  const headers: Record<string, string> = { ...Object.fromEntries(req.headers), connection: 'close' };
  if (body) headers['content-length'] = String(body.length);
  const send = url.protocol === 'https:' ? (await import('node:https')).request : httpRequest;
  const res = await new Promise<IncomingMessage>((resolve, reject) => {
    const r = send(url, { method: req.method, headers, agent: false, signal: req.signal }, resolve);
    r.on('error', reject);
    r.end(body);
  });
  const chunks: Buffer[] = [];
  for await (const chunk of res) chunks.push(chunk as Buffer);
  const data = Buffer.concat(chunks);
  const status = res.statusCode ?? 0;
  checkCella(req, res, data);
  const responseHeaders = new Headers();
  for (const [name, value] of Object.entries(res.headers)) {
    for (const v of Array.isArray(value) ? value : value === undefined ? [] : [value]) responseHeaders.append(name, v);
  }
  return new Response(NO_BODY.has(status) ? null : data, { status, statusText: res.statusMessage ?? '', headers: responseHeaders });
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

function checkCella(req: Request, res: IncomingMessage, data: Buffer): void {
  if (fromCella(res, data)) return;
  const url = new URL(req.url);
  const start = data.subarray(0, 200).toString('utf8').replace(/\s+/g, ' ').trim();
  const text = start.length > 60 ? `${start.slice(0, 60)}…` : start;
  const type = contentType(res) || 'no content type';
  throw new CliError(EXIT_RUNTIME, `${url.origin} is not a Cella manager: ${req.method} ${url.pathname} answered HTTP ${res.statusCode}, ${type}: ${JSON.stringify(text)} (check CELLA_URL)`);
}
