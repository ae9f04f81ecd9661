/** The root PD's capability selectors, handed out and taken back (NOVA's object space of the VMM). */
export class Selectors {
  private next = 1;
  private readonly free: number[] = [];

  /** A free selector; recorded in `into` when given (the selectors a domain owns). */
  take(into?: number[]): number {
    const sel = this.free.pop() ?? this.next++;
    into?.push(sel);
    return sel;
  }

  /** Selectors whose capabilities were revoked go back for reuse. */
  give(sels: readonly number[]): void {
    this.free.push(...sels);
  }
}
