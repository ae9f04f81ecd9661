/** The character sets qrexec allows in service names, arguments and policy file names. */

const RPC_NAME = /^[A-Za-z0-9+\-._]$/;
const FILE_NAME = /^[0-9a-z_.-]*$/;

/** Characters of `text` outside the qrexec service-name set (`A-Za-z0-9+-._`, minus `+` for services), sorted by code point. */
export function invalidRpcChars(text: string, allowPlus: boolean): string[] {
  const bad = new Set<string>();
  for (const c of text) if (!RPC_NAME.test(c) || (!allowPlus && c === '+')) bad.add(c);
  return [...bad].sort(byCodePoint);
}

/** Policy file names may hold only `0-9 a-z _ . -` (so that C-locale order is the order everyone sees). */
export function isValidPolicyFileName(name: string): boolean {
  return FILE_NAME.test(name);
}

/**
 * Python's whitespace (`str.isspace`), which qrexec's `str.split()` and `str.strip()` use: unlike
 * JavaScript's `\s` it includes \x1c–\x1f and \x85, and it excludes U+FEFF (so a UTF-8 BOM stays part of
 * the first word and the line is refused, as in Qubes).
 */
const PY_SPACE = '\\t\\n\\v\\f\\r\\x1c-\\x20\\x85\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000';
const PY_RUNS = new RegExp(`[${PY_SPACE}]+`);
const PY_EDGES = new RegExp(`^[${PY_SPACE}]+|[${PY_SPACE}]+$`, 'g');

/** `text.strip()` as Python does it. */
export const pyStrip = (text: string): string => text.replace(PY_EDGES, '');

/** `text.split()` as Python does it: words between runs of whitespace, none empty. */
export const pyWords = (text: string): string[] => {
  const stripped = pyStrip(text);
  return stripped === '' ? [] : stripped.split(PY_RUNS);
};

/** Plain code-point order, which for these ASCII names is the C locale's byte order. */
export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
