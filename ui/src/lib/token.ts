/**
 * The API token, when the manager needs one: kept in this tab's sessionStorage (gone when the tab
 * closes), sent as `Authorization: Bearer` over HTTP and as the `cella.bearer.<base64url>` subprotocol
 * on websockets (a browser cannot set headers on those).
 */
import { Store } from './store.js';

const KEY = 'cella.token';

function stored(): string | null {
  try {
    return sessionStorage.getItem(KEY);
  } catch {
    return null; // storage disabled: the prompt asks on every load
  }
}

export const token = new Store<string | null>(stored());

export type AuthState = { state: 'checking' } | { state: 'ok' } | { state: 'needed'; message: string };
export const auth = new Store<AuthState>({ state: 'checking' });

export function setToken(value: string | null): void {
  try {
    if (value) sessionStorage.setItem(KEY, value);
    else sessionStorage.removeItem(KEY);
  } catch (err) {
    console.warn('cella: the token is not kept across reloads:', err);
  }
  token.set(value);
}

/** The subprotocol that carries the token on a websocket upgrade. */
export function bearerProtocol(secret: string): string {
  const bytes = new TextEncoder().encode(secret);
  let binary = '';
  for (const b of bytes) binary += String.fromCharCode(b);
  return `cella.bearer.${btoa(binary).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '')}`;
}

/** Called on every 401: the page shows the token prompt. */
export function needToken(message: string): void {
  auth.set({ state: 'needed', message });
}
