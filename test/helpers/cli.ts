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
  return new Promise((resolve) => {
    const child = execFile(
      process.execPath,
      [cliEntry(name), ...args],
      { env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '', ...env }, timeout: 30_000 },
      (err, stdout, stderr) => {
        const code = err ? (typeof err.code === 'number' ? err.code : 1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
    if (input !== undefined) child.stdin?.end(input);
    else child.stdin?.end();
  });
}
