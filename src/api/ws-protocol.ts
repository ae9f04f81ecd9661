/**
 * Websocket subprotocols. A browser cannot send an Authorization header with a websocket, so it
 * offers `cella` and `cella.bearer.<base64url of the token>`; the server picks `cella`, so the
 * secret is never echoed back. Header values are not logged (pino logs method and url only).
 */

/** The protocol the server answers with. */
export const WS_PROTOCOL = 'cella';
const BEARER_PREFIX = 'cella.bearer.';
const BASE64URL = /^[A-Za-z0-9_-]+$/;
const utf8 = new TextDecoder('utf-8', { fatal: true });

/**
 * The token carried in a Sec-WebSocket-Protocol header: undefined when none is offered, null when
 * the offered one is not canonical base64url of UTF-8 text.
 */
export function bearerFromProtocols(header: string | string[] | undefined): string | null | undefined {
  if (header === undefined) return undefined;
  const offered = (Array.isArray(header) ? header.join(',') : header).split(',').map((p) => p.trim());
  const bearer = offered.filter((p) => p.startsWith(BEARER_PREFIX));
  if (bearer.length === 0) return undefined;
  if (bearer.length > 1) return null;
  const encoded = bearer[0].slice(BEARER_PREFIX.length);
  if (!BASE64URL.test(encoded)) return null;
  const bytes = Buffer.from(encoded, 'base64url');
  if (bytes.toString('base64url') !== encoded) return null;
  try {
    return utf8.decode(bytes);
  } catch {
    return null;
  }
}

/** ws's handleProtocols: `cella` when offered, else none; never a protocol that carries a secret. */
export function chooseProtocol(protocols: Set<string>): string | false {
  return protocols.has(WS_PROTOCOL) ? WS_PROTOCOL : false;
}
