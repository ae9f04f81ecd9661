/**
 * qubes.VMShell's command lines inside the PV kernel, read as sh reads them (POSIX shell command
 * language, 2.2–2.3, 2.9), for the part a service call needs: words with '…', "…" and \ quoting,
 * pipelines of words that name programs of the VM's image (or the builtins echo, cat, true,
 * false), `<`, `>` and `>>` redirections to the kernel's small in-memory filesystem, and lists
 * joined by `;`, `&&` and `||`, with `#` comments. What sh would do and this shell cannot
 * (expansions, background jobs, subshells, here-documents, fd redirections, patterns) is refused
 * by name, never run as something else. The shell job (jobs.ts) runs the result.
 */

export interface Stage {
  readonly words: string[];
  readonly stdinFile?: string;
  readonly stdoutFile?: { path: string; append: boolean };
}

/** How a pipeline joins the list before it: `;` always runs, `&&` after a success, `||` after a failure. */
export type ListOp = ';' | '&&' | '||';

export interface ListItem {
  readonly op: ListOp;
  readonly stages: Stage[];
}

export type ParseResult = { ok: true; list: ListItem[] } | { ok: false; error: string };

/** A word with its text as typed (`raw`), or an operator. */
type Token = { word: string; raw: string } | { op: string };

const OPERATORS = ['&&', '||', ';;', '>>', '<<', '>&', '<&', '<>', '>|', '|', ';', '&', '<', '>', '(', ')'];
const BLANK = new Set([' ', '\t', '\n']);
const META = new Set([...BLANK, '|', '&', ';', '<', '>', '(', ')']);
/** Characters after `\` that keep their backslash removed inside "…" (2.2.3). */
const DQ_ESCAPES = new Set(['$', '`', '"', '\\', '\n']);

const UNSUPPORTED: Record<string, string> = {
  '&': 'background jobs (&) are not supported',
  '(': 'subshells ( … ) are not supported',
  ')': "syntax error near ')'",
  ';;': "syntax error near ';;'",
  '<<': 'here-documents (<<) are not supported',
  '>&': 'fd redirections (>&) are not supported',
  '<&': 'fd redirections (<&) are not supported',
  '<>': 'redirections <> are not supported',
  '>|': 'redirections >| are not supported',
};

class ShellSyntax extends Error {}

/** A `$` that sh would expand: a name, a special parameter, `{` or `(`. */
function expands(next: string | undefined): boolean {
  return next !== undefined && /[A-Za-z0-9_{(@*#?$!-]/.test(next);
}

/** Splits a line into words and operators as sh's token recognition does, quotes removed. */
function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < line.length) {
    const c = line[i];
    if (BLANK.has(c)) {
      i++;
      continue;
    }
    if (c === '#') break;
    const op = OPERATORS.find((o) => line.startsWith(o, i));
    if (op) {
      tokens.push({ op });
      i += op.length;
      continue;
    }
    const [word, end] = readWord(line, i);
    // digits right before < or > name a file descriptor (2>err): not this shell's
    if (/^\d+$/.test(line.slice(i, end)) && (line[end] === '<' || line[end] === '>')) {
      throw new ShellSyntax(`fd redirections (${line.slice(i, end)}${line[end]}) are not supported`);
    }
    tokens.push({ word, raw: line.slice(i, end) });
    i = end;
  }
  return tokens;
}

/** One word from `start`: its text with the quoting removed, and where it ends. */
function readWord(line: string, start: number): [string, number] {
  let out = '';
  let i = start;
  while (i < line.length && !META.has(line[i])) {
    const c = line[i];
    if (c === '\\') {
      if (i + 1 >= line.length) {
        i++;
        continue;
      }
      if (line[i + 1] !== '\n') out += line[i + 1];
      i += 2;
    } else if (c === "'") {
      const close = line.indexOf("'", i + 1);
      if (close < 0) throw new ShellSyntax("unterminated ' quote");
      out += line.slice(i + 1, close);
      i = close + 1;
    } else if (c === '"') {
      [out, i] = readDoubleQuoted(line, i + 1, out);
    } else if (c === '`') {
      throw new ShellSyntax('command substitution (`…`) is not supported');
    } else if (c === '$' && expands(line[i + 1])) {
      throw new ShellSyntax(`expansions ($${line[i + 1]}…) are not supported`);
    } else if (c === '*' || c === '?' || c === '[') {
      throw new ShellSyntax(`patterns (${c}) are not supported: quote the word`);
    } else if (c === '~' && i === start) {
      throw new ShellSyntax('tilde expansion (~) is not supported');
    } else {
      out += c;
      i++;
    }
  }
  return [out, i];
}

function readDoubleQuoted(line: string, from: number, soFar: string): [string, number] {
  let out = soFar;
  let i = from;
  for (;;) {
    if (i >= line.length) throw new ShellSyntax('unterminated " quote');
    const c = line[i];
    if (c === '"') return [out, i + 1];
    if (c === '\\' && DQ_ESCAPES.has(line[i + 1])) {
      if (line[i + 1] !== '\n') out += line[i + 1];
      i += 2;
    } else if (c === '`') {
      throw new ShellSyntax('command substitution (`…`) is not supported');
    } else if (c === '$' && expands(line[i + 1])) {
      throw new ShellSyntax(`expansions ($${line[i + 1]}…) are not supported`);
    } else {
      out += c;
      i++;
    }
  }
}

/** A pipeline from `tokens[i]` on: its stages and the index after it. */
function pipeline(tokens: Token[], from: number): [Stage[], number] {
  const stages: Stage[] = [];
  let words: string[] = [];
  let stdinFile: string | undefined;
  let stdoutFile: Stage['stdoutFile'];
  let i = from;
  const end = () => {
    if (words.length === 0) throw new ShellSyntax(`syntax error near '${opAt(tokens, i) ?? 'end of line'}'`);
    stages.push({ words, ...(stdinFile !== undefined ? { stdinFile } : {}), ...(stdoutFile ? { stdoutFile } : {}) });
    words = [];
    stdinFile = undefined;
    stdoutFile = undefined;
  };
  for (; i < tokens.length; i++) {
    const t = tokens[i];
    if ('word' in t) {
      if (words.length === 0 && /^[A-Za-z_][A-Za-z0-9_]*=/.test(t.raw)) throw new ShellSyntax(`variable assignments (${t.raw.split('=')[0]}=…) are not supported`);
      words.push(t.word);
      continue;
    }
    if (UNSUPPORTED[t.op]) throw new ShellSyntax(UNSUPPORTED[t.op]);
    if (t.op === '<' || t.op === '>' || t.op === '>>') {
      const target = tokens[i + 1];
      if (!target || !('word' in target)) throw new ShellSyntax(`syntax error near '${t.op}'`);
      if (t.op === '<') stdinFile = target.word;
      else stdoutFile = { path: target.word, append: t.op === '>>' };
      i++;
      continue;
    }
    if (t.op !== '|') break;
    end();
  }
  end();
  return [stages, i];
}

function opAt(tokens: Token[], i: number): string | undefined {
  const t = tokens[i];
  return t && 'op' in t ? t.op : undefined;
}

export function parseCommandLine(line: string): ParseResult {
  try {
    const tokens = tokenize(line);
    const list: ListItem[] = [];
    let op: ListOp = ';';
    let i = 0;
    while (i < tokens.length) {
      const [stages, next] = pipeline(tokens, i);
      list.push({ op, stages });
      i = next;
      if (i >= tokens.length) break;
      op = opAt(tokens, i) as ListOp;
      i++;
      // `a;` ends the list; `a &&` at the end of the line is sh's syntax error
      if (i >= tokens.length && op !== ';') throw new ShellSyntax(`syntax error near '${op}'`);
    }
    return { ok: true, list };
  } catch (err) {
    if (err instanceof ShellSyntax) return { ok: false, error: err.message };
    throw err;
  }
}
