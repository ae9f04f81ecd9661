/**
 * Buffers of page tables that disposed address spaces gave back, all zero again, for the next
 * spaces: a process's 12 MiB of tables cost milliseconds to allocate (the allocator zeroes them)
 * and add GC pressure, once per program started.
 */
const MAX_POOLED = 8;
const pool: SharedArrayBuffer[] = [];

/** A zeroed buffer of `bytes` bytes: one given back, or a new one (shared: a CPU worker reads the same tables). */
export function takeTables(bytes: number): SharedArrayBuffer {
  const at = pool.findIndex((b) => b.byteLength === bytes);
  return at < 0 ? new SharedArrayBuffer(bytes) : pool.splice(at, 1)[0];
}

/** Keeps `buffer` (which must be all zero) for a later space. */
export function giveTables(buffer: SharedArrayBuffer): void {
  if (pool.length < MAX_POOLED) pool.push(buffer);
}

/** Buffers waiting (for tests). */
export const pooledTables = (): number => pool.length;
