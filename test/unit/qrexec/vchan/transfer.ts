import type { Libxenvchan } from '../../../../src/qrexec/vchan/libxenvchan.js';
import type { World } from './support.js';

export type Api = 'stream' | 'packet';

export interface Transfer {
  /** Bytes the writer had accepted. */
  sent: number;
  got: Uint8Array[];
  /** The reader saw the end. */
  eof: boolean;
  /** The writer got VCHAN_CLOSED. */
  writeClosed: boolean;
  /** The writer finished and closed its end. */
  writerClosed: boolean;
  /** Ends whose domain died: their code no longer runs. */
  dead: Set<Libxenvchan>;
}

/** Packet sizes cutting `total` bytes, each at most `max`: a mix of small ones and ring-sized ones. */
export function cut(total: number, max: number, rand: () => number): number[] {
  const sizes: number[] = [];
  for (let left = total; left > 0;) {
    const s = Math.min(left, rand() % 2 ? 1 + (rand() % Math.min(64, max)) : 1 + (rand() % max));
    sizes.push(s);
    left -= s;
  }
  return sizes;
}

/**
 * An event-driven transfer: the writer writes until the vchan refuses and retries only from onWritable;
 * the reader is slow, reading one bite per scheduled task (events are delivered between bites) and
 * waiting for onReadable after 'would-block'. A lost notification leaves the pump quiet with the data
 * short. The writer closes its end once everything is accepted.
 */
export function startTransfer(w: World, writer: Libxenvchan, reader: Libxenvchan, data: Uint8Array, api: Api, rand: () => number): Transfer {
  const t: Transfer = { sent: 0, got: [], eof: false, writeClosed: false, writerClosed: false, dead: new Set() };
  const packets = api === 'packet' ? cut(data.length, writer.writeSize, rand) : [];
  let pw = 0, pr = 0;
  const tryWrite = (): void => {
    if (t.dead.has(writer) || t.writerClosed || t.writeClosed) return;
    while (t.sent < data.length) {
      const n = api === 'packet'
        ? writer.send(data, t.sent, packets[pw]!)
        : writer.write(data, t.sent, Math.min(1 + (rand() % (2 * writer.writeSize)), data.length - t.sent));
      if (n < 0) { t.writeClosed = true; return; }
      if (n === 0) return;
      if (api === 'packet') pw++;
      t.sent += n;
    }
    writer.close();
    t.writerClosed = true;
  };
  let scheduled = false;
  const readStep = (): void => {
    scheduled = false;
    if (t.dead.has(reader) || t.eof) return;
    const r = api === 'packet' && pr < packets.length
      ? reader.recv(packets[pr]!)
      : reader.read(rand() % 2 ? 1 + (rand() % 64) : 1 + (rand() % reader.readSize));
    if (r === 'would-block') return;
    if (r === 'eof' || r === 'too-big') { t.eof = r === 'eof'; return; }
    t.got.push(r);
    pr++;
    schedule();
  };
  const schedule = (): void => {
    if (!scheduled) { scheduled = true; w.tasks.push(readStep); }
  };
  writer.onWritable(tryWrite);
  reader.onReadable(schedule);
  tryWrite();
  schedule();
  return t;
}
