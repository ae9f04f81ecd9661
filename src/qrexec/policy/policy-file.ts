/** A new-syntax policy file: rules, comments and the `!include`, `!include-dir`, `!include-service`, `!compat-4.0` directives. */
import { loadCompat40 } from './compat40.js';
import { enterFile, reportError, includeFile, type Loader, type Location } from './loader.js';
import { pyStrip } from './charsets.js';
import { fileLines, isDirectory, policyFilesIn, resolveTreePath } from './policy-tree.js';
import { ruleFromLine, words } from './rule.js';
import { parseServiceArgument } from './service-argument.js';
import { loadServiceFile } from './service-file.js';

/** How many parameters each directive takes. */
const DIRECTIVE_ARITY: Readonly<Record<string, number>> = {
  '!include': 1,
  '!include-dir': 1,
  '!include-service': 3,
  '!compat-4.0': 0,
};

function includeDir(loader: Loader, raw: string, at: Location): void {
  const dir = resolveTreePath(raw, '');
  if (!dir.ok) return reportError(loader, at, dir.error);
  if (!isDirectory(loader.tree, dir.value)) return reportError(loader, at, `not a directory: ${dir.value}`);
  const { valid, invalid } = policyFilesIn(loader.tree, dir.value);
  for (const path of invalid) reportError(loader, { file: path, line: null }, `invalid filename: ${path}`);
  for (const path of valid) enterFile(loader, path, at, (p) => loadPolicyFile(loader, p));
}

function includeService(loader: Loader, [service, argument, raw]: readonly string[], at: Location): void {
  const sa = parseServiceArgument(service, argument);
  if (!sa.ok) return reportError(loader, at, sa.error);
  includeFile(loader, raw, '', at, (p) => loadServiceFile(loader, p, service, argument, ''));
}

function directive(loader: Loader, [name, ...params]: readonly string[], at: Location): void {
  const arity = DIRECTIVE_ARITY[name];
  if (arity === undefined) return reportError(loader, at, 'invalid directive');
  if (params.length !== arity) return reportError(loader, at, 'invalid number of params');
  if (name === '!include') return includeFile(loader, params[0], '', at, (p) => loadPolicyFile(loader, p));
  if (name === '!include-dir') return includeDir(loader, params[0], at);
  if (name === '!include-service') return includeService(loader, params, at);
  loadCompat40(loader, at);
}

function loadLine(loader: Loader, file: string, line: number, text: string): void {
  if (text === '' || text.startsWith('#')) return;
  if (text.startsWith('!')) return directive(loader, words(text), { file, line });
  const rule = ruleFromLine({ file, line, text });
  if (rule.ok) loader.rules.push(rule.value);
  else reportError(loader, { file, line }, rule.error);
}

/** Reads one new-syntax file of the tree, appending its rules (includes expanded in place) to the loader. */
export function loadPolicyFile(loader: Loader, path: string): void {
  fileLines(loader.tree.get(path) ?? '').forEach((raw, i) => loadLine(loader, path, i + 1, pyStrip(raw)));
}
