/**
 * Serialised GET pages (the VM list, the event history), kept while the manager's view version
 * for the caller stays the same: a repeated GET costs no view building and no serialisation. The
 * key is the route, the caller and the parsed query (so `?limit=5&offset=0` and `?offset=0&limit=5`
 * share a page); the version is read before the page is built, so a page built from newer state
 * than its version is never served after that version has passed. Each page has a strong ETag (a
 * hash of its bytes): a client that sends it back in If-None-Match gets 304 and no body.
 */
import { createHash } from 'node:crypto';
import type { FastifyReply, FastifyRequest } from 'fastify';

interface Page {
  readonly version: string;
  readonly body: Buffer;
  readonly etag: string;
}

/** Bytes of pages kept at most, over all keys; the oldest go first. */
export const PAGE_CACHE_BYTES = 16 * 1024 * 1024;

export class PageCache {
  private readonly pages = new Map<string, Page>();
  private bytes = 0;

  constructor(private readonly maxBytes = PAGE_CACHE_BYTES) {}

  /** Answers from the page kept for this request at `version`, or builds, serialises and keeps it. */
  async serve(req: FastifyRequest, reply: FastifyReply, version: string, build: () => Promise<unknown>): Promise<FastifyReply> {
    const key = `${req.routeOptions.url}\n${req.caller}\n${JSON.stringify(req.query)}`;
    let page = this.pages.get(key);
    if (page?.version !== version) {
      const body = Buffer.from(String(reply.serialize(await build())));
      page = { version, body, etag: `"${createHash('sha256').update(body).digest('base64url')}"` };
      this.keep(key, page);
    }
    reply.header('etag', page.etag);
    if (notModified(req.headers['if-none-match'], page.etag)) return reply.code(304).send();
    return reply.type('application/json; charset=utf-8').send(page.body);
  }

  private keep(key: string, page: Page): void {
    this.drop(key);
    if (page.body.length > this.maxBytes) return;
    while (this.bytes + page.body.length > this.maxBytes) this.drop(this.pages.keys().next().value as string);
    this.pages.set(key, page);
    this.bytes += page.body.length;
  }

  private drop(key: string): void {
    const old = this.pages.get(key);
    if (!old) return;
    this.pages.delete(key);
    this.bytes -= old.body.length;
  }
}

/** If-None-Match (RFC 9110 §13.1.2): `*`, or a list of entity tags, compared weakly. */
function notModified(header: string | undefined, etag: string): boolean {
  if (header === undefined) return false;
  if (header.trim() === '*') return true;
  return header.split(',').some((tag) => tag.trim().replace(/^W\//, '') === etag);
}
