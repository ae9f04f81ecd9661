import { describe, expect, it } from 'vitest';
import { Pipe } from '../../../src/guest-kernel/pipe.js';

const tick = () => new Promise<void>((resolve) => queueMicrotask(resolve));

describe('Pipe', () => {
  it('holds up to its capacity, then says would-block; drains in order; EOF after the writer closes', () => {
    const p = new Pipe(8);
    expect(p.writer.write(new Uint8Array([1, 2, 3, 4, 5, 6]))).toBe(6);
    expect(p.writer.write(new Uint8Array([7, 8, 9]))).toBe(2);
    expect(p.writer.write(new Uint8Array([10]))).toBe('would-block');
    expect(p.reader.read(3)).toEqual(new Uint8Array([1, 2, 3]));
    expect(p.reader.read(100)).toEqual(new Uint8Array([4, 5, 6]));
    expect(p.reader.read(100)).toEqual(new Uint8Array([7, 8]));
    expect(p.reader.read(100)).toBe('would-block');
    p.writer.close();
    expect(p.reader.read(100)).toBe('eof');
  });

  it('gives a writer EPIPE once the reader is gone', () => {
    const p = new Pipe();
    p.reader.close();
    expect(p.writer.write(new Uint8Array([1]))).toEqual({ errno: 32 });
  });

  it('tells its listeners once per batch of changes, and not at all for a second close', async () => {
    const p = new Pipe();
    let calls = 0;
    // a listener that closes the pipe each time must not keep itself running
    p.watch(() => {
      calls++;
      p.writer.close();
      p.reader.close();
    });
    p.writer.write(new Uint8Array([1]));
    p.writer.write(new Uint8Array([2]));
    for (let i = 0; i < 5; i++) await tick();
    expect(calls).toBe(2);
  });
});
