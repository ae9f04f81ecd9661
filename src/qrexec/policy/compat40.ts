/** `!compat-4.0`: Qubes 4.0's per-service policy files (`qubes-rpc-policy/<service>[+arg]`) read in place, with their implicit denies. */
import { byCodePoint, invalidRpcChars } from './charsets.js';
import { enterFile, fail, type Loader, type Location } from './loader.js';
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

/** Legacy files in qrexec's order: by service, and for each service `*` (no argument) before the specific arguments. */
export function legacyFiles(loader: Loader): LegacyFile[] {
  const names = filesIn(loader.tree, LEGACY_POLICY_DIR).filter((n) => invalidRpcChars(n, true).length === 0);
  const files = names.map((name) => {
    const { service, argument } = name.includes('+') ? splitServiceName(name) : { service: name, argument: '*' };
    return { service, argument, path: `${LEGACY_POLICY_DIR}/${name}` };
  });
  return files.sort((a, b) => byCodePoint(a.service, b.service) || byCodePoint(a.argument, b.argument));
}

/** After a file for one specific argument, 4.0 denied everything else for that argument; these rules keep that. */
function implicitDenies(loader: Loader, f: LegacyFile): void {
  for (const line of ['@anyvm @anyvm deny', '@anyvm @adminvm deny']) {
    const rule = ruleFromServiceLine(f.service, f.argument, line, { file: f.path, line: 0, text: line });
    if (rule.ok) loader.rules.push(rule.value);
  }
}

export function loadCompat40(loader: Loader, at: Location): void {
  if (loader.stack.some((p) => p.startsWith(`${LEGACY_POLICY_DIR}/`))) return fail(loader, at, '!compat-4.0 is not recursive');
  for (const f of legacyFiles(loader)) {
    enterFile(loader, f.path, at, (p) => loadServiceFile(loader, p, f.service, f.argument, LEGACY_POLICY_DIR));
    if (f.argument !== '*') implicitDenies(loader, f);
  }
}
