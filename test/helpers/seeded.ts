/** xorshift32 for tests: the same numbers for the same seed, in every process (uint32 values). */
export function seeded(seed: number): () => number {
  let s = (seed >>> 0) || 0x9e3779b9;
  return () => {
    s ^= s << 13;
    s ^= s >>> 17;
    s ^= s << 5;
    return s >>> 0;
  };
}

/** The same generator as fractions in [0, 1). */
export function seededFraction(seed: number): () => number {
  const next = seeded(seed);
  return () => next() / 2 ** 32;
}
