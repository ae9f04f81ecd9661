/**
 * A seeded generator of malformed requests over the OpenAPI document, and a runner that sends them
 * to a real server over HTTP and collects every answer that breaks the contract (a 5xx, or an
 * error that is not problem+json). Used by test/integration/api/fuzz.test.ts and scripts/fuzz-api.ts.
 */
import { Agent, request } from 'node:http';
import { seededFraction } from './seeded.js';

interface Operation {
  readonly method: string;
  readonly path: string;
  readonly query: readonly string[];
  readonly hasBody: boolean;
}

interface OpenApiDoc {
  paths: Record<string, Record<string, { parameters?: { in: string; name: string }[]; requestBody?: unknown }>>;
}

export interface FuzzRequest {
  readonly method: string;
  readonly path: string;
  readonly headers: Record<string, string>;
  readonly body: Buffer;
}

export interface FuzzFailure {
  readonly request: FuzzRequest;
  readonly status: number;
  readonly reason: string;
}

export function operationsOf(doc: OpenApiDoc): Operation[] {
  return Object.entries(doc.paths).flatMap(([path, item]) =>
    Object.entries(item).map(([method, op]) => ({
      method: method.toUpperCase(),
      path,
      query: (op.parameters ?? []).filter((p) => p.in === 'query').map((p) => p.name),
      hasBody: op.requestBody !== undefined,
    })),
  );
}

type Rand = () => number;

const pick = <T>(rand: Rand, items: readonly T[]): T => items[Math.floor(rand() * items.length)];
const intBelow = (rand: Rand, n: number): number => Math.floor(rand() * n);

const ALPHABET = [
  ...'abcdefghijklmnopqrstuvwxyz0123456789-_.',
  ...'ABCXYZ+%/\\?#&=:;@!*() \'"<>{}[]|^`~$',
  '\u0000', '\u001f', '\u007f', '\u00e9', '\u0085', '\u200b', '\ufeff', '\ud83d\ude00', '\u4e2d', '\udfff',
];
const NAMES = ['dom0', 'work', 'fedora', 'ghost', '', '.', '..', '%2e%2e', 'include%2F..', 'include%2F.', '30-user.policy'];
const LENGTHS = [0, 1, 2, 31, 32, 200, 1023, 1024, 1025, 5000, 20_000];

function randomText(rand: Rand, length = pick(rand, LENGTHS)): string {
  if (rand() < 0.3) return pick(rand, ALPHABET).repeat(length);
  let out = '';
  for (let i = 0; i < length; i++) out += pick(rand, ALPHABET);
  return out;
}

/** A path segment: a real name, a near miss, or random text of a random length, mostly percent-encoded. */
function segment(rand: Rand): string {
  const r = rand();
  if (r < 0.25) return pick(rand, NAMES);
  const text = randomText(rand);
  if (r < 0.85) return encodeURIComponent(text.replace(/[\ud800-\udfff]/g, 'x'));
  return text.replace(/[^\x21-\x7e]/g, '%ff').replace(/[?#]/g, '%3f');
}

function randomValue(rand: Rand, depth: number): unknown {
  const r = rand();
  if (depth > 3 || r < 0.15) return pick(rand, [null, true, false, 0, -1, 1e308, -0, 2 ** 53, 0.5, 2 ** 31, -(2 ** 31)]);
  if (r < 0.4) return randomText(rand, pick(rand, [0, 1, 10, 100, 5000]));
  if (r < 0.55) return pick(rand, NAMES);
  if (r < 0.75) return Array.from({ length: intBelow(rand, 5) }, () => randomValue(rand, depth + 1));
  return randomObject(rand, depth + 1);
}

const FIELDS = ['name', 'label', 'class', 'template', 'properties', 'memory', 'vcpus', 'wait', 'force', 'timeout', 'file',
  'snapshot', 'vms', 'all', 'exclude', 'service', 'command', 'stdin', 'content', 'source', 'target', 'argument',
  'allow', 'vm', 'value', 'programs', 'kernel', 'files', '__proto__', 'constructor'];

function randomObject(rand: Rand, depth: number): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  for (let i = intBelow(rand, 6); i > 0; i--) out[rand() < 0.8 ? pick(rand, FIELDS) : randomText(rand, 8)] = randomValue(rand, depth);
  return out;
}

function randomBody(rand: Rand): { body: Buffer; type: string | undefined } {
  const r = rand();
  const json = 'application/json';
  if (r < 0.1) return { body: Buffer.alloc(0), type: pick(rand, [json, undefined]) };
  if (r < 0.15) return { body: Buffer.from('{}'), type: json };
  if (r < 0.2) return { body: Buffer.from([0xff, 0xfe, 0x7b, 0x7d]), type: json };
  if (r < 0.25) return { body: Buffer.from(randomText(rand, 50)), type: pick(rand, [json, 'text/plain', 'application/x-www-form-urlencoded']) };
  if (r < 0.3) return { body: Buffer.from('{"a":'.repeat(2000)), type: json };
  return { body: Buffer.from(JSON.stringify(rand() < 0.7 ? randomObject(rand, 0) : randomValue(rand, 0))), type: json };
}

function randomQuery(rand: Rand, known: readonly string[]): string {
  if (rand() < 0.5) return '';
  const parts = Array.from({ length: 1 + intBelow(rand, 3) }, () => {
    const key = known.length > 0 && rand() < 0.7 ? pick(rand, known) : encodeURIComponent(randomText(rand, 5).replace(/[\ud800-\udfff]/g, 'x'));
    return `${key}=${segment(rand)}`;
  });
  return `?${parts.join('&')}`;
}

/** The n-th request of a seed's sequence is always the same request. */
export function fuzzRequests(doc: OpenApiDoc, seed: number): () => FuzzRequest {
  const rand = seededFraction(seed);
  const ops = operationsOf(doc);
  return () => {
    const op = pick(rand, ops);
    const path = op.path.replace(/\{[^}]+\}/g, () => segment(rand)) + randomQuery(rand, op.query);
    const headers: Record<string, string> = {};
    let body: Buffer = Buffer.alloc(0);
    if (op.hasBody || rand() < 0.1) {
      const b = randomBody(rand);
      body = b.body;
      if (b.type !== undefined) headers['content-type'] = b.type;
    }
    if (rand() < 0.05) headers.authorization = pick(rand, ['Bearer', 'Bearer x', 'Basic abc', `Bearer ${randomText(rand, 300)}`.replace(/[^\x20-\x7e]/g, 'x')]);
    return { method: op.method, path, headers, body };
  };
}

const agent = new Agent({ keepAlive: true, maxSockets: 8 });

function send(baseUrl: string, r: FuzzRequest): Promise<{ status: number; contentType: string; text: string }> {
  return new Promise((resolve, reject) => {
    const req = request(`${baseUrl}${r.path}`, { method: r.method, agent, headers: { ...r.headers, 'content-length': String(r.body.length) } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, contentType: String(res.headers['content-type'] ?? ''), text: Buffer.concat(chunks).toString('utf8') }),
      );
    });
    req.setTimeout(30_000, () => req.destroy(new Error('no answer within 30 s')));
    req.on('error', reject);
    req.end(r.body);
  });
}

/** What is wrong with an answer, or null: no 5xx, every error a problem+json with a code. */
function contractBreach(status: number, contentType: string, text: string): string | null {
  if (status >= 500) return `${status}: ${text.slice(0, 200)}`;
  if (status < 400) return null;
  if (!contentType.startsWith('application/problem+json')) return `${status} with content-type ${contentType}`;
  try {
    const body = JSON.parse(text) as { code?: unknown; status?: unknown };
    if (typeof body.code !== 'string' || body.status !== status) return `${status} problem without a matching code/status`;
  } catch {
    return `${status} problem body is not JSON`;
  }
  return null;
}

/** Sends `count` requests of the seed's sequence, `parallel` at a time; returns the breaches and a count per status. */
export async function runFuzz(
  baseUrl: string,
  doc: OpenApiDoc,
  seed: number,
  count: number,
  parallel = 4,
): Promise<{ failures: FuzzFailure[]; statuses: Map<number, number> }> {
  const next = fuzzRequests(doc, seed);
  const failures: FuzzFailure[] = [];
  const statuses = new Map<number, number>();
  let sent = 0;
  const worker = async (): Promise<void> => {
    while (sent < count) {
      sent++;
      const r = next();
      const res = await send(baseUrl, r).catch((e: Error) => ({ status: 0, contentType: '', text: e.message }));
      if (res.status === 0) {
        failures.push({ request: { ...r, path: r.path.slice(0, 300) }, status: 0, reason: `no answer: ${res.text}` });
        continue;
      }
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      const reason = contractBreach(res.status, res.contentType, res.text);
      if (reason !== null) failures.push({ request: { ...r, path: r.path.slice(0, 300) }, status: res.status, reason });
    }
  };
  await Promise.all(Array.from({ length: parallel }, worker));
  return { failures, statuses };
}
