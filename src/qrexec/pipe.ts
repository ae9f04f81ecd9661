/** What the qrexec relays need of a byte pipe (the PV kernel's Pipe has this shape). */

export type StreamRead = Uint8Array | 'eof' | 'would-block' | { readonly errno: number };
export type StreamWrite = number | 'would-block' | { readonly errno: number };

export interface ByteStream {
  readonly reader: { read(max: number): StreamRead; close(): void };
  readonly writer: { write(bytes: Uint8Array): StreamWrite; close(): void };
  /** Calls `fn` at every change (data in or out, an end closed); returns its removal. */
  watch(fn: () => void): () => void;
}
