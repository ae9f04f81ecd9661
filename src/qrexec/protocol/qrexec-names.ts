/** How qrexec-daemon cleans what an agent sends: target and service names sanitised, request idents validated. */
import { SERVICE_PARAMS_SIZE } from './service-params.js';

/** Bytes every name may hold besides letters and digits. */
const BASE_EXTRA = '_-.';
/** Extra bytes allowed in a target (or source) qube name: keywords (@default, @dispvm:…). */
export const TARGET_NAME_EXTRA = '@:';
/** Extra byte allowed in a service name: the argument separator. */
export const SERVICE_NAME_EXTRA = '+';

const isAlnum = (c: number): boolean => (c >= 0x30 && c <= 0x39) || (c >= 0x41 && c <= 0x5a) || (c >= 0x61 && c <= 0x7a);

function allowed(c: number, extra: string): boolean {
  if (isAlnum(c)) return true;
  const ch = String.fromCharCode(c);
  return BASE_EXTRA.includes(ch) || extra.includes(ch);
}

/**
 * qrexec-daemon's sanitize_name: every byte before the first NUL that is not a letter, digit, `_`, `-`,
 * `.` or one of `extra` becomes `_` (in place). The name is cleaned, never refused.
 */
export function sanitizeNameBytes(b: Uint8Array, extra: string): void {
  for (let i = 0; i < b.length && b[i] !== 0; i++) if (!allowed(b[i]!, extra)) b[i] = 0x5f;
}

/** The same on a string (one char per byte; anything above 0xFF is not allowed either). */
export function sanitizeName(name: string, extra: string): string {
  let out = '';
  for (let i = 0; i < name.length; i++) {
    const c = name.charCodeAt(i);
    if (c === 0) break;
    out += c <= 0xff && allowed(c, extra) ? name[i] : '_';
  }
  return out;
}

export const sanitizeTargetName = (name: string): string => sanitizeName(name, TARGET_NAME_EXTRA);

/**
 * qrexec-daemon's validate_request_id over the 32 ident bytes: only `[A-Za-z0-9_.- ]` up to a NUL, and
 * nothing but NULs after it. Returns why it is refused, or undefined when it is fine.
 */
export function requestIdProblem(ident: Uint8Array): string | undefined {
  for (let i = 0; i < SERVICE_PARAMS_SIZE; i++) {
    const c = ident[i] ?? 0;
    if (c === 0) {
      for (let j = i + 1; j < SERVICE_PARAMS_SIZE; j++) {
        if ((ident[j] ?? 0) !== 0) return `byte ${ident[j]} at ${j} follows the NUL at ${i}`;
      }
      return undefined;
    }
    if (!allowed(c, ' ')) return `bad byte ${c} at ${i}`;
  }
  return 'no NUL terminator';
}

/**
 * The service-name checks of MSG_TRIGGER_SERVICE3/4 on the bytes after the fixed part: the last byte must be
 * the only NUL, the name must not be empty or start with `+` (validate_service_name). Returns why it is
 * refused, or undefined.
 */
export function serviceNameProblem(name: Uint8Array): string | undefined {
  if (name.length === 0 || name[name.length - 1] !== 0) return 'service name not NUL-terminated';
  const nul = name.indexOf(0);
  if (nul !== name.length - 1) return `service name contains a NUL at ${nul}`;
  return leadingProblem(name);
}

/** validate_service_name alone (MSG_TRIGGER_SERVICE's fixed field is cut at its first NUL instead). */
export function leadingProblem(name: Uint8Array): string | undefined {
  if (name[0] === 0 || name.length === 0) return 'empty service name';
  if (name[0] === 0x2b) return 'service name starts with "+"';
  return undefined;
}

