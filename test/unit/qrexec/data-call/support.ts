import { QrexecLink } from '../../../../src/qrexec/link.js';
import type { ByteStream } from '../../../../src/qrexec/pipe.js';
import { world } from '../vchan/support.js';

/** A stream whose writer takes nothing until `open` (a full pipe nobody reads), whose reader has `input` then EOF, with its watchers. */
export function stream(open: boolean, input: Uint8Array | null = null): ByteStream & { open: boolean; watchers: Set<() => void>; taken: number; closed: boolean } {
  let left = input;
  const s = {
    open,
    taken: 0,
    closed: false,
    watchers: new Set<() => void>(),
    reader: {
      read: () => {
        if (left === null) return 'would-block' as const;
        if (left.length === 0) return 'eof' as const;
        const out = left;
        left = new Uint8Array(0);
        return out;
      },
      close: () => undefined,
    },
    writer: {
      write: (bytes: Uint8Array) => {
        if (s.closed) return { errno: 32 };
        if (!s.open) return 'would-block' as const;
        s.taken += bytes.length;
        return bytes.length;
      },
      close: () => void (s.closed = true),
    },
    watch: (fn: () => void) => {
      s.watchers.add(fn);
      return () => void s.watchers.delete(fn);
    },
  };
  return s;
}

/** A data vchan between a service (domain 1, server) and a caller (domain 2, client), a bare link on each end; `settle` pumps. */
export function linkPair(): { service: QrexecLink; caller: QrexecLink; settle(): Promise<void> } {
  const w = world();
  const service = new QrexecLink(w.server(1, 2, 513, 65536, 65536), 'data', { onMessage: () => undefined, onClosed: () => undefined });
  const caller = new QrexecLink(w.client(2, 1, 513), 'data', { onMessage: () => undefined, onClosed: () => undefined });
  return {
    service,
    caller,
    async settle() {
      for (let i = 0; i < 10; i++) {
        w.pump();
        await new Promise((resolve) => setImmediate(resolve));
      }
    },
  };
}
