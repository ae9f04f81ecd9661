/**
 * The dashboard: `/` is ui/dist/index.html, `/ui/NAME` its hashed assets (built by scripts/build-ui.mjs in
 * npm install, with .br and .gz beside each). These files hold no data, so they load without a token;
 * the page asks for one when the API answers 401. Assets are sent precompressed as the client accepts.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyReply, FastifyRequest } from 'fastify';
import { problemOf, sendProblem } from '../problem.js';
import type { ZodApp } from './types.js';

export const UI_DIST = fileURLToPath(new URL('../../../ui/dist', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** The page may talk to this origin only: no inline script, no other host. */
const CSP = "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

interface Asset {
  type: string;
  identity: Buffer;
  br?: Buffer;
  gzip?: Buffer;
  etag: string;
}

interface Bundle {
  stamp: number;
  files: Map<string, Asset>;
}

function loadBundle(dir: string): Bundle | null {
  let stamp: number;
  try {
    stamp = statSync(join(dir, 'index.html')).mtimeMs;
  } catch {
    return null;
  }
  const files = new Map<string, Asset>();
  const names = readdirSync(dir);
  for (const name of names) {
    const ext = name.slice(name.lastIndexOf('.'));
    if (!(ext in TYPES)) continue;
    const read = (suffix: string) => (names.includes(name + suffix) ? readFileSync(join(dir, name + suffix)) : undefined);
    const identity = readFileSync(join(dir, name));
    files.set(name, { type: TYPES[ext], identity, br: read('.br'), gzip: read('.gz'), etag: `"${stamp.toString(36)}-${identity.length.toString(36)}"` });
  }
  return { stamp, files };
}

/** The built files, read again when a rebuild changed index.html. */
function bundleReader(dir: string): () => Bundle | null {
  let bundle: Bundle | null = null;
  return () => {
    let stamp = -1;
    try {
      stamp = statSync(join(dir, 'index.html')).mtimeMs;
    } catch {
      bundle = null;
    }
    if (stamp >= 0 && bundle?.stamp !== stamp) bundle = loadBundle(dir);
    return bundle;
  };
}

/** br, gzip or none, as Accept-Encoding allows (a q=0 entry refuses). */
export function pickEncoding(header: string | undefined): 'br' | 'gzip' | null {
  const accepted = new Map<string, number>();
  for (const part of (header ?? '').split(',')) {
    const [name, ...params] = part.trim().toLowerCase().split(';');
    const q = params.map((p) => /^\s*q=([0-9.]+)\s*$/.exec(p)).find(Boolean);
    if (name) accepted.set(name, q ? Number(q[1]) : 1);
  }
  const ok = (name: string) => (accepted.get(name) ?? accepted.get('*') ?? 0) > 0;
  return ok('br') ? 'br' : ok('gzip') ? 'gzip' : null;
}

function send(request: FastifyRequest, reply: FastifyReply, asset: Asset, cache: string): FastifyReply {
  reply.header('content-type', asset.type).header('cache-control', cache).header('vary', 'accept-encoding').header('etag', asset.etag);
  reply.header('x-content-type-options', 'nosniff').header('content-security-policy', CSP).header('referrer-policy', 'no-referrer');
  if (request.headers['if-none-match'] === asset.etag) return reply.code(304).send();
  const encoding = pickEncoding(request.headers['accept-encoding']);
  const body = encoding ? asset[encoding] : undefined;
  if (encoding && body) reply.header('content-encoding', encoding);
  return reply.send(body ?? asset.identity);
}

export function uiRoutes(app: ZodApp, dir = UI_DIST): void {
  const bundle = bundleReader(dir);
  const notBuilt = (reply: FastifyReply) =>
    sendProblem(reply, problemOf('ROUTE_NOT_FOUND', 'the dashboard is not built: run `npm run build:ui` (npm install does)', { instance: '/' }));
  const config = { anonymous: true, public: true };

  app.get('/', { schema: { hide: true }, config }, async (request, reply) => {
    const page = bundle()?.files.get('index.html');
    return page ? send(request, reply, page, 'no-cache') : notBuilt(reply);
  });

  app.get('/ui/:file', { schema: { hide: true }, config }, async (request, reply) => {
    const file = (request.params as { file: string }).file;
    const asset = file === 'index.html' ? undefined : bundle()?.files.get(file);
    if (!asset) return sendProblem(reply, problemOf('ROUTE_NOT_FOUND', `no dashboard file ${file.slice(0, 100)}`, { instance: request.url.split('?')[0] }));
    return send(request, reply, asset, 'public, max-age=31536000, immutable');
  });
}
