/** A VM's console: a bounded ring of what the guest wrote to stdout and stderr, with followers. */
import type { OutputEndpoint, WriteResult } from '../pv/fd-endpoint.js';

export type ConsoleListener = (bytes: Uint8Array) => void;

export class ConsoleRing implements OutputEndpoint {
  private readonly ring: Uint8Array;
  private head = 0;
  /** Bytes ever written. */
  total = 0;
  private readonly listeners = new Set<ConsoleListener>();

  constructor(readonly capacity: number) {
    this.ring = new Uint8Array(capacity);
  }

  /** Bytes that fell out of the ring. */
  get dropped(): number {
    return Math.max(0, this.total - this.capacity);
  }

  write(bytes: Uint8Array): WriteResult {
    const n = bytes.length;
    const keep = n > this.capacity ? bytes.subarray(n - this.capacity) : bytes;
    const first = Math.min(keep.length, this.capacity - this.head);
    this.ring.set(keep.subarray(0, first), this.head);
    this.ring.set(keep.subarray(first), 0);
    this.head = (this.head + keep.length) % this.capacity;
    this.total += n;
    if (this.listeners.size > 0) {
      const copy = bytes.slice();
      for (const listener of this.listeners) listener(copy);
    }
    return n;
  }

  /** The last `max` bytes kept (at most the capacity). */
  tail(max: number): Uint8Array {
    const kept = Math.min(this.total, this.capacity);
    const n = Math.max(0, Math.min(max, kept));
    const out = new Uint8Array(n);
    const start = (this.head - n + this.capacity) % this.capacity;
    const first = Math.min(n, this.capacity - start);
    out.set(this.ring.subarray(start, start + first));
    out.set(this.ring.subarray(0, n - first), first);
    return out;
  }

  follow(listener: ConsoleListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
