/** Runs the real CLI as a subprocess, by any of its names, against a live server. */
import { execFile } from 'node:child_process';
import { mkdirSync, symlinkSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

const QVM = new URL('../../bin/qvm.mjs', import.meta.url).pathname;
const LINKS = join(tmpdir(), `cella-cli-links-${process.pid}`);

export interface CliResult {
  code: number;
  stdout: string;
  stderr: string;
}

/** The path to run `name` by: bin/qvm.mjs itself for `qvm`, a link named `name` for qvm-*. */
export function cliEntry(name: string): string {
  if (name === 'qvm') return QVM;
  mkdirSync(LINKS, { recursive: true });
  const link = join(LINKS, name);
  if (!existsSync(link)) symlinkSync(QVM, link);
  return link;
}

export function runCli(name: string, args: string[], env: Record<string, string>, input?: string): Promise<CliResult> {
  return startCli(name, args, env, input).done;
}

/** A CLI run still going: `done` when it ends, `output(text)` once its stdout has shown `text`. */
export function startCli(name: string, args: string[], env: Record<string, string>, input?: string): { done: Promise<CliResult>; output(text: string): Promise<void> } {
  let stdoutSoFar = '';
  const seen: { text: string; resolve: () => void }[] = [];
  const done = new Promise<CliResult>((resolve) => {
    const child = execFile(
      process.execPath,
      [cliEntry(name), ...args],
      { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, timeout: 30_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    child.stdout?.on('data', (chunk: Buffer | string) => {
      stdoutSoFar += String(chunk);
      for (const w of seen.filter((x) => stdoutSoFar.includes(x.text))) w.resolve();
    });
    if (input !== undefined) child.stdin?.end(input);
    else child.stdin?.end();
  });
  const output = (text: string) =>
    stdoutSoFar.includes(text) ? Promise.resolve() : Promise.race([new Promise<void>((resolve) => seen.push({ text, resolve })), done.then(() => undefined)]);
  return { done, output };
}
