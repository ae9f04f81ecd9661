/**
 * qubes.VMShell's command lines inside the PV kernel: words that name programs of the VM's image,
 * joined by pipes, with `<`, `>` and `>>` redirections to the kernel's small in-memory filesystem,
 * `;`-free and without variables (what a service call needs). The shell job (jobs.ts) runs them,
 * with the builtins echo, cat, true and false.
 */

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
