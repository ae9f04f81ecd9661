/** Fixed-size and trailing char fields of qrexec structs: NUL-terminated bytes, one string char per byte (latin1). */

/** The bytes of [start, start+size) up to the first NUL, as a string of char codes 0–255. */
export function readCString(b: Uint8Array, start: number, size: number): string {
  let end = start;
  while (end < start + size && b[end] !== 0) end++;
  return Buffer.from(b.buffer, b.byteOffset + start, end - start).toString('latin1');
}

/** Why a string cannot be a C field of `size` bytes (its NUL included), or undefined when it can. */
export function cFieldProblem(s: string, size: number): string | undefined {
  if (s.length + 1 > size) return `${s.length} characters do not fit ${size} bytes with the NUL`;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c === 0) return `a NUL at ${i}`;
    if (c > 0xff) return `character ${c} at ${i} is above 0xFF`;
  }
  return undefined;
}

/** Writes `s` at `at` followed by NULs up to `size` bytes (the caller checked it with cFieldProblem). */
export function writeCString(b: Uint8Array, at: number, size: number, s: string): void {
  for (let i = 0; i < size; i++) b[at + i] = i < s.length ? s.charCodeAt(i) : 0;
}
