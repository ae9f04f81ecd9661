/** `!compat-4.0`: Qubes 4.0's per-service policy files (`qubes-rpc-policy/<service>[+arg]`) read in place, with their implicit denies. */
import { byCodePoint, invalidRpcChars } from './charsets.js';
import { enterFile, reportError, type Loader, type Location } from './loader.js';
import { filesIn, LEGACY_POLICY_DIR } from './policy-tree.js';
import { ruleFromServiceLine } from './rule.js';
import { loadServiceFile } from './service-file.js';
import { splitServiceName } from './service-argument.js';

interface LegacyFile {
  readonly service: string;
  /** `*` for a file without `+` (any argument). */
  readonly argument: string;
  readonly path: string;
}

/** Editor and package-manager leftovers qrexec skips in the legacy directory, besides dot-files. */
const IGNORED_SUFFIXES = ['.rpmsave', '.rpmnew', '.swp'];

/** Whether qrexec reads this legacy file name at all (names outside the service-name set are skipped too). */
const isLegacyName = (name: string): boolean =>
  !name.startsWith('.') && !IGNORED_SUFFIXES.some((s) => name.endsWith(s)) && invalidRpcChars(name, true).length === 0;

/** Specific arguments in code-point order, the file without argument (`*`) after them all, as qrexec sorts them. */
function byArgumentNoArgumentLast(a: string, b: string): number {
  if (a === b) return 0;
  if (a === '*') return 1;
  if (b === '*') return -1;
  return byCodePoint(a, b);
}

/** Legacy files in qrexec's order: by service, and for each service the specific arguments before `*` (no argument). */
export function legacyFiles(loader: Loader): LegacyFile[] {
  const names = filesIn(loader.tree, LEGACY_POLICY_DIR).filter(isLegacyName);
  const files = names.map((name) => {
    const { service, argument } = name.includes('+') ? splitServiceName(name) : { service: name, argument: '*' };
    return { service, argument, path: `${LEGACY_POLICY_DIR}/${name}` };
  });
  return files.sort((a, b) => byCodePoint(a.service, b.service) || byArgumentNoArgumentLast(a.argument, b.argument));
}

/** After a file for one specific argument, 4.0 denied everything else for that argument; these rules keep that. */
function implicitDenies(loader: Loader, f: LegacyFile): void {
  for (const line of ['@anyvm @anyvm deny', '@anyvm @adminvm deny']) {
    const rule = ruleFromServiceLine(f.service, f.argument, line, { file: f.path, line: 0, text: line });
    if (rule.ok) loader.rules.push(rule.value);
  }
}

export function loadCompat40(loader: Loader, at: Location): void {
  if (loader.stack.some((p) => p.startsWith(`${LEGACY_POLICY_DIR}/`))) return reportError(loader, at, '!compat-4.0 is not recursive');
  for (const f of legacyFiles(loader)) {
    enterFile(loader, f.path, at, (p) => loadServiceFile(loader, p, f.service, f.argument, LEGACY_POLICY_DIR));
    if (f.argument !== '*') implicitDenies(loader, f);
  }
}
