/**
 * A vCPU's direct-mapped cache of compiled blocks by virtual pc, in front of the translation of
 * the fetch and the code cache's lookup: a block entry that hits costs two reads. It holds only
 * what those would give: it is emptied when code is dropped (a store into code, FENCE.I, or,
 * between runs, the code cache's generation moving) or the address space's mappings change.
 */
const SIZE = 4096;
/** No block starts at an odd pc. */
const EMPTY = 1;

export class JumpCache<Fn> {
  private readonly pcs = new Int32Array(SIZE).fill(EMPTY);
  private readonly fns: (Fn | undefined)[] = new Array<Fn | undefined>(SIZE).fill(undefined);
  private codeGeneration = -1;
  private mapGeneration = -1;

  /** The block cached for pc `pc` (int32), if any. */
  get(pc: number): Fn | undefined {
    const slot = (pc >>> 2) & (SIZE - 1);
    return this.pcs[slot] === pc ? this.fns[slot] : undefined;
  }

  set(pc: number, fn: Fn): void {
    const slot = (pc >>> 2) & (SIZE - 1);
    this.pcs[slot] = pc;
    this.fns[slot] = fn;
  }

  clear(): void {
    this.pcs.fill(EMPTY);
    this.fns.fill(undefined);
  }

  /** Empties the cache when code or mappings changed since it was filled (checked when a run starts). */
  validate(codeGeneration: number, mapGeneration: number): void {
    if (codeGeneration === this.codeGeneration && mapGeneration === this.mapGeneration) return;
    this.clear();
    this.codeGeneration = codeGeneration;
    this.mapGeneration = mapGeneration;
  }
}
