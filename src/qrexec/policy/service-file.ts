/** An old-syntax file read through `!include-service` (or `!compat-4.0`): rules for one fixed service and argument. */
import { reportError, includeFile, type Loader, type Location } from './loader.js';
import { pyStrip } from './charsets.js';
import { fileLines } from './policy-tree.js';
import { ruleFromServiceLine, words } from './rule.js';

/** The compatibility rewrites qrexec applies to old-syntax lines: `$include:` → `!include`, `$` → `@`, `,` → space. */
export function modernise(text: string): string {
  return text.replaceAll('$include:', '!include ').replaceAll('$', '@').replaceAll(',', ' ');
}

function serviceDirective(loader: Loader, ws: readonly string[], at: Location, read: (path: string) => void, base: string): void {
  if (ws[0] !== '!include') return reportError(loader, at, 'invalid directive');
  if (ws.length !== 2) return reportError(loader, at, 'invalid number of params');
  includeFile(loader, ws[1], base, at, read);
}

/** Reads `path` as old syntax for `service`/`argument` (texts as written, `*` allowed); includes resolve against `base`. */
export function loadServiceFile(loader: Loader, path: string, service: string, argument: string, base: string): void {
  const read = (p: string): void => loadServiceFile(loader, p, service, argument, base);
  fileLines(loader.tree.get(path) ?? '').forEach((raw, i) => {
    const text = pyStrip(raw);
    if (text === '' || text.startsWith('#')) return;
    const at = { file: path, line: i + 1 };
    const line = modernise(text);
    if (line.startsWith('!')) return serviceDirective(loader, words(line), at, read, base);
    const rule = ruleFromServiceLine(service, argument, line, { file: path, line: i + 1, text });
    if (rule.ok) loader.rules.push(rule.value);
    else reportError(loader, at, rule.error);
  });
}
