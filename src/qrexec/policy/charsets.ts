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

/** Plain code-point order, which for these ASCII names is the C locale's byte order. */
export function byCodePoint(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}
