/**
 * qubes.VMShell inside the PV kernel: a command line whose words name programs of the VM's image,
 * joined by pipes, with `<`, `>` and `>>` redirections to the kernel's small in-memory filesystem,
 * `;`-free and without variables (what a service call needs). Builtins: echo, cat, true, false.
 */
import type { InputEndpoint, OutputEndpoint } from '../pv/fd-endpoint.js';
import { Pipe } from '../pv/pipe.js';

export interface Stage {
  readonly words: string[];
  readonly stdinFile?: string;
  readonly stdoutFile?: { path: string; append: boolean };
}

export type ParseResult = { ok: true; stages: Stage[] } | { ok: false; error: string };

/** Splits into words honouring '…' and "…" quotes and the operators | < > >>. */
function tokenize(line: string): string[] | string {
  const tokens: string[] = [];
  let cur = '';
  let quote: string | null = null;
  let has = false;
  const flush = () => {
    if (has) tokens.push(cur);
    cur = '';
    has = false;
  };
  for (let i = 0; i < line.length; i++) {
    const c = line[i];
    if (quote) {
      if (c === quote) quote = null;
      else cur += c;
      continue;
    }
    if (c === '"' || c === "'") {
      quote = c;
      has = true;
    } else if (c === ' ' || c === '\t' || c === '\n') flush();
    else if (c === '|' || c === '<') {
      flush();
      tokens.push(c);
    } else if (c === '>') {
      flush();
      if (line[i + 1] === '>') {
        tokens.push('>>');
        i++;
      } else tokens.push('>');
    } else {
      cur += c;
      has = true;
    }
  }
  if (quote) return `unterminated ${quote} quote`;
  flush();
  return tokens;
}

export function parseCommandLine(line: string): ParseResult {
  const tokens = tokenize(line);
  if (typeof tokens === 'string') return { ok: false, error: tokens };
  const stages: Stage[] = [];
  let words: string[] = [];
  let stdinFile: string | undefined;
  let stdoutFile: Stage['stdoutFile'];
  for (let i = 0; i < tokens.length; i++) {
    const t = tokens[i];
    if (t === '|') {
      if (words.length === 0) return { ok: false, error: "syntax error near '|'" };
      stages.push({ words, stdinFile, stdoutFile });
      words = [];
      stdinFile = undefined;
      stdoutFile = undefined;
    } else if (t === '<' || t === '>' || t === '>>') {
      const target = tokens[++i];
      if (target === undefined || ['|', '<', '>', '>>'].includes(target)) return { ok: false, error: `syntax error near '${t}'` };
      if (t === '<') stdinFile = target;
      else stdoutFile = { path: target, append: t === '>>' };
    } else words.push(t);
  }
  if (words.length === 0) return stages.length === 0 ? { ok: true, stages: [] } : { ok: false, error: 'syntax error at the end' };
  stages.push({ words, stdinFile, stdoutFile });
  return { ok: true, stages };
}

/** What a stage runs on: builtins here, programs through the caller. */
export interface ShellHost {
  /** Starts the program `argv[0]` of the image; resolves to its exit status; null when there is no such program. */
  run(argv: string[], stdin: InputEndpoint & { close(): void }, stdout: OutputEndpoint & { close(): void }, stderr: OutputEndpoint): Promise<number> | null;
  readonly files: Map<string, Uint8Array>;
  /** A pipe whose changes wake the VM's blocked vCPUs. */
  pipe(): Pipe;
}

const encoder = new TextEncoder();

/** Runs a parsed pipeline; resolves with the exit status of its last stage (127 for an unknown command). */
export async function runPipeline(stages: Stage[], host: ShellHost, stdin: InputEndpoint, stdout: OutputEndpoint, stderr: OutputEndpoint): Promise<number> {
  if (stages.length === 0) return 0;
  const links = stages.slice(1).map(() => host.pipe());
  const runs = stages.map((stage, i) => {
    const input = stage.stdinFile !== undefined ? fileInput(host, stage.stdinFile) : i === 0 ? stdin : links[i - 1].reader;
    const output = stage.stdoutFile !== undefined ? fileOutput(host, stage.stdoutFile) : i === stages.length - 1 ? stdout : links[i].writer;
    return runStage(stage, host, input, output, stderr);
  });
  const statuses = await Promise.all(runs);
  return statuses[statuses.length - 1];
}

function closer(endpoint: object): () => void {
  return () => (endpoint as { close?: () => void }).close?.();
}
const inputWithClose = (e: InputEndpoint) => ({ read: (max: number) => e.read(max), close: closer(e) });
const outputWithClose = (e: OutputEndpoint) => ({ write: (b: Uint8Array) => e.write(b), close: closer(e) });

async function runStage(stage: Stage, host: ShellHost, input: InputEndpoint, output: OutputEndpoint, stderr: OutputEndpoint): Promise<number> {
  const [cmd, ...args] = stage.words;
  const builtin = BUILTINS[cmd];
  if (builtin) {
    const status = await builtin(args, host, input, output, stderr);
    (output as { close?: () => void }).close?.();
    (input as { close?: () => void }).close?.();
    return status;
  }
  const started = host.run(stage.words, inputWithClose(input), outputWithClose(output), stderr);
  if (started === null) {
    stderr.write(encoder.encode(`${cmd}: command not found\n`));
    (output as { close?: () => void }).close?.();
    return 127;
  }
  return started;
}

type Builtin = (args: string[], host: ShellHost, input: InputEndpoint, output: OutputEndpoint, stderr: OutputEndpoint) => Promise<number>;

const BUILTINS: Record<string, Builtin> = {
  true: async () => 0,
  false: async () => 1,
  echo: async (args, _h, _i, out) => ((await writeAll(out, encoder.encode(`${args.join(' ')}\n`))) ? 0 : 1),
  cat: async (args, host, input, out, err) => {
    if (args.length === 0) return (await pump(input, out)) ? 0 : 1;
    for (const path of args) {
      const data = host.files.get(path);
      if (!data) {
        err.write(encoder.encode(`cat: ${path}: No such file or directory\n`));
        return 1;
      }
      if (!(await writeAll(out, data))) return 1;
    }
    return 0;
  },
};

/** Retries until the endpoint is ready; builtins run in the kernel, so they wait on the event loop. */
const tick = () => new Promise<void>((r) => setImmediate(r));

async function writeAll(out: OutputEndpoint, bytes: Uint8Array): Promise<boolean> {
  let at = 0;
  while (at < bytes.length) {
    const n = out.write(bytes.subarray(at));
    if (n === 'would-block') await tick();
    else if (typeof n !== 'number') return false;
    else at += n;
  }
  return true;
}

async function pump(input: InputEndpoint, out: OutputEndpoint): Promise<boolean> {
  for (;;) {
    const got = input.read(64 * 1024);
    if (got === 'eof') return true;
    if (got === 'would-block') await tick();
    else if (!(got instanceof Uint8Array)) return false;
    else if (!(await writeAll(out, got))) return false;
  }
}

function fileInput(host: ShellHost, path: string): InputEndpoint {
  let data: Uint8Array | null = host.files.get(path) ?? new Uint8Array(0);
  return { read: (max) => { if (!data || data.length === 0) return 'eof'; const out = data.subarray(0, max); data = data.subarray(out.length); return out; } };
}

function fileOutput(host: ShellHost, target: { path: string; append: boolean }): OutputEndpoint & { close(): void } {
  const chunks: Uint8Array[] = target.append && host.files.has(target.path) ? [host.files.get(target.path)!] : [];
  host.files.set(target.path, new Uint8Array(0));
  return {
    write: (bytes) => {
      chunks.push(bytes.slice());
      return bytes.length;
    },
    close: () => host.files.set(target.path, Buffer.concat(chunks)),
  };
}
