/** A VM's console: a bounded ring of what the guest wrote to stdout and stderr, with followers. */
import type { OutputEndpoint, WriteResult } from './fd-endpoint.js';

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

  /** What the ring holds, as plain data (a suspend file keeps it). */
  save(): { capacity: number; total: number; data: string } {
    return { capacity: this.capacity, total: this.total, data: Buffer.from(this.tail(this.capacity)).toString('base64') };
  }

  /** Takes the contents of a saved ring (its followers stay). */
  load(s: { total: number; data: string }): void {
    const data = new Uint8Array(Buffer.from(s.data, 'base64')).subarray(-this.capacity);
    this.ring.fill(0);
    this.ring.set(data);
    this.head = data.length % this.capacity;
    this.total = s.total;
  }

  follow(listener: ConsoleListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}
