/** Python's repr() of strings, tuples and lists, so that error messages read exactly as qrexec's parser writes them. */

function escapeChar(c: string, quote: string): string {
  if (c === '\\' || c === quote) return `\\${c}`;
  if (c === '\n') return '\\n';
  if (c === '\r') return '\\r';
  if (c === '\t') return '\\t';
  const code = c.codePointAt(0) ?? 0;
  if (code < 0x20 || code === 0x7f) return `\\x${code.toString(16).padStart(2, '0')}`;
  return c;
}

/** repr(s): single quotes unless the text holds a single quote and no double quote. */
export function pyRepr(s: string): string {
  const quote = s.includes("'") && !s.includes('"') ? '"' : "'";
  let body = '';
  for (const c of s) body += escapeChar(c, quote);
  return `${quote}${body}${quote}`;
}

/** repr(tuple(items)) for strings: ('a',) or ('a', 'b'). */
export function pyTupleRepr(items: readonly string[]): string {
  if (items.length === 1) return `(${pyRepr(items[0])},)`;
  return `(${items.map(pyRepr).join(', ')})`;
}

/** repr(list(items)) for strings: ['a', 'b']. */
export function pyListRepr(items: readonly string[]): string {
  return `[${items.map(pyRepr).join(', ')}]`;
}
