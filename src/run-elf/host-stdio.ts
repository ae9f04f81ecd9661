/** fd endpoints over the host process's stdin, stdout and stderr (synchronous, for run-elf). */
import { readSync, writeSync } from 'node:fs';
import type { InputEndpoint, OutputEndpoint, ReadResult, WriteResult } from '../guest-kernel/fd-endpoint.js';

const pause = new Int32Array(new SharedArrayBuffer(4));
const sleep = (ms: number): void => { Atomics.wait(pause, 0, 0, ms); };

const code = (e: unknown): string | undefined =>
  typeof e === 'object' && e !== null && 'code' in e && typeof e.code === 'string' ? e.code : undefined;

/** Reads host fd `fd`, waiting (not "would block") when it has nothing yet. */
export class HostInput implements InputEndpoint {
  constructor(private readonly fd: number) {}

  read(max: number): ReadResult {
    const buf = new Uint8Array(max);
    for (;;) {
      try {
        const n = readSync(this.fd, buf, 0, max, null);
        return n === 0 ? 'eof' : buf.subarray(0, n);
      } catch (e) {
        if (code(e) === 'EAGAIN') { sleep(5); continue; }
        if (code(e) === 'EOF') return 'eof';
        return { errno: 5 };
      }
    }
  }
}

/** Writes all bytes to host fd `fd`. */
export class HostOutput implements OutputEndpoint {
  constructor(private readonly fd: number) {}

  write(bytes: Uint8Array): WriteResult {
    let done = 0;
    while (done < bytes.length) {
      try {
        done += writeSync(this.fd, bytes, done, bytes.length - done);
      } catch (e) {
        if (code(e) === 'EAGAIN') { sleep(1); continue; }
        return done > 0 ? done : { errno: code(e) === 'EPIPE' ? 32 : 5 };
      }
    }
    return done;
  }
}
