/**
 * The PV kernel's objects that fds and jobs point at: pipes and the files a shell redirection opens,
 * each with a number, so that a fd table or a job is plain data (an endpoint is named, never held)
 * and a suspend file can keep them all. The console, an empty input and a sink are fixed names.
 */
import { z } from 'zod';
import type { InputEndpoint, OutputEndpoint, ReadResult, WriteResult } from './fd-endpoint.js';
import { Pipe } from './pipe.js';

export const endpointRefSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('pipe-r'), id: z.number().int().positive() }),
  z.object({ kind: z.literal('pipe-w'), id: z.number().int().positive() }),
  z.object({ kind: z.literal('file-in'), id: z.number().int().positive() }),
  z.object({ kind: z.literal('file-out'), id: z.number().int().positive() }),
  z.object({ kind: z.literal('console') }),
  z.object({ kind: z.literal('empty') }),
  z.object({ kind: z.literal('sink') }),
]);
/** How a saved fd table or job names an endpoint. */
export type EndpointRef = z.infer<typeof endpointRefSchema>;

export type Closable = { close(): void };
export type Input = InputEndpoint & Closable;
export type Output = OutputEndpoint & Closable;

/** A file opened for reading by `<`: what the file held then, read once. */
export class FileInput implements InputEndpoint {
  id = 0;
  constructor(private data: Uint8Array) {}
  read(max: number): ReadResult {
    if (this.data.length === 0) return 'eof';
    const out = this.data.subarray(0, max);
    this.data = this.data.subarray(out.length);
    return out;
  }
  close(): void {
    this.data = new Uint8Array(0);
  }
  get exhausted(): boolean {
    return this.data.length === 0;
  }
  save(): string {
    return Buffer.from(this.data).toString('base64');
  }
}

/** A file opened by `>` or `>>`: what is written lands in the kernel's filesystem when it closes. */
export class FileOutput implements OutputEndpoint {
  id = 0;
  private closed = false;
  constructor(
    private readonly files: Map<string, Uint8Array>,
    readonly path: string,
    private chunks: Uint8Array[],
  ) {}
  write(bytes: Uint8Array): WriteResult {
    if (this.closed) return { errno: 9 };
    this.chunks.push(bytes.slice());
    return bytes.length;
  }
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.files.set(this.path, Buffer.concat(this.chunks));
  }
  get isClosed(): boolean {
    return this.closed;
  }
  save(): { path: string; data: string; closed: boolean } {
    return { path: this.path, data: Buffer.concat(this.chunks).toString('base64'), closed: this.closed };
  }
  static restore(files: Map<string, Uint8Array>, s: { path: string; data: string; closed: boolean }): FileOutput {
    const f = new FileOutput(files, s.path, [new Uint8Array(Buffer.from(s.data, 'base64'))]);
    f.closed = s.closed;
    return f;
  }
}

const EMPTY: Input = { read: () => 'eof', close: () => undefined };
const SINK: Output = { write: (bytes) => bytes.length, close: () => undefined };

const pipeStateSchema = z.object({ capacity: z.number().int().positive(), data: z.string(), writerClosed: z.boolean(), readerClosed: z.boolean() });

export const kernelObjectsStateSchema = z.object({
  next: z.number().int().positive(),
  pipes: z.array(z.object({ id: z.number().int().positive(), pipe: pipeStateSchema })),
  fileIns: z.array(z.object({ id: z.number().int().positive(), data: z.string() })),
  fileOuts: z.array(z.object({ id: z.number().int().positive(), path: z.string(), data: z.string(), closed: z.boolean() })),
});
export type KernelObjectsState = z.infer<typeof kernelObjectsStateSchema>;

export class KernelObjects {
  private next = 1;
  private readonly pipes = new Map<number, Pipe>();
  private readonly fileIns = new Map<number, FileInput>();
  private readonly fileOuts = new Map<number, FileOutput>();
  private readonly refs = new WeakMap<object, EndpointRef>();
  /** Stands in for a pipe that was finished and forgotten: reads see EOF, writes EPIPE. */
  private readonly gone: Pipe;

  constructor(
    readonly files: Map<string, Uint8Array>,
    private readonly console: Output,
    /** Called for every new pipe (the VM wakes blocked vCPUs when one changes). */
    private readonly onPipe: (pipe: Pipe) => void,
  ) {
    this.refs.set(console, { kind: 'console' });
    this.refs.set(EMPTY, { kind: 'empty' });
    this.refs.set(SINK, { kind: 'sink' });
    this.gone = new Pipe(1);
    this.gone.writerClosed = true;
    this.gone.readerClosed = true;
  }

  pipe(capacity?: number): Pipe {
    if (this.pipes.size >= 64) this.prune();
    return this.adopt(this.next++, new Pipe(capacity));
  }

  fileInput(path: string): FileInput {
    const f = new FileInput(this.files.get(path) ?? new Uint8Array(0));
    f.id = this.next++;
    this.fileIns.set(f.id, f);
    this.refs.set(f, { kind: 'file-in', id: f.id });
    return f;
  }

  /** Opens `path` for writing; `>` empties it at once, `>>` keeps what it held. */
  fileOutput(path: string, append: boolean): FileOutput {
    const before = append ? this.files.get(path) : undefined;
    this.files.set(path, before ?? new Uint8Array(0));
    return this.adoptFileOut(this.next++, new FileOutput(this.files, path, before ? [before] : []));
  }

  get empty(): Input {
    return EMPTY;
  }

  /** The name of an endpoint made here (or the console, empty, sink). */
  refOf(endpoint: object): EndpointRef {
    const ref = this.refs.get(endpoint);
    if (!ref) throw new Error('an endpoint that is not one of the kernel objects');
    return ref;
  }

  input(ref: EndpointRef): Input {
    switch (ref.kind) {
      case 'pipe-r':
        return (this.pipes.get(ref.id) ?? this.gone).reader;
      case 'file-in':
        return this.fileIns.get(ref.id) ?? EMPTY;
      case 'empty':
        return EMPTY;
      default:
        throw new Error(`${ref.kind} is not an input`);
    }
  }

  output(ref: EndpointRef): Output {
    switch (ref.kind) {
      case 'pipe-w':
        return (this.pipes.get(ref.id) ?? this.gone).writer;
      case 'file-out':
        return this.fileOuts.get(ref.id) ?? SINK;
      case 'console':
        return this.console;
      case 'sink':
        return SINK;
      default:
        throw new Error(`${ref.kind} is not an output`);
    }
  }

  pipeById(id: number): Pipe {
    return this.pipes.get(id) ?? this.gone;
  }

  /** Forgets pipes nobody can use any more and files already closed. */
  prune(): void {
    for (const [id, p] of this.pipes) if (p.finished) this.pipes.delete(id);
    for (const [id, f] of this.fileIns) if (f.exhausted) this.fileIns.delete(id);
    for (const [id, f] of this.fileOuts) if (f.isClosed) this.fileOuts.delete(id);
  }

  save(): KernelObjectsState {
    this.prune();
    return {
      next: this.next,
      pipes: [...this.pipes].map(([id, pipe]) => ({ id, pipe: pipe.save() })),
      fileIns: [...this.fileIns].map(([id, f]) => ({ id, data: f.save() })),
      fileOuts: [...this.fileOuts].map(([id, f]) => ({ id, ...f.save() })),
    };
  }

  restore(s: KernelObjectsState): void {
    this.next = s.next;
    for (const { id, pipe } of s.pipes) this.adopt(id, Pipe.restore(pipe));
    for (const { id, data } of s.fileIns) {
      const f = new FileInput(new Uint8Array(Buffer.from(data, 'base64')));
      f.id = id;
      this.fileIns.set(id, f);
      this.refs.set(f, { kind: 'file-in', id });
    }
    for (const f of s.fileOuts) this.adoptFileOut(f.id, FileOutput.restore(this.files, f));
  }

  private adopt(id: number, p: Pipe): Pipe {
    p.id = id;
    this.pipes.set(id, p);
    this.refs.set(p.reader, { kind: 'pipe-r', id });
    this.refs.set(p.writer, { kind: 'pipe-w', id });
    this.onPipe(p);
    return p;
  }

  private adoptFileOut(id: number, f: FileOutput): FileOutput {
    f.id = id;
    this.fileOuts.set(id, f);
    this.refs.set(f, { kind: 'file-out', id });
    return f;
  }
}
