/**
 * Policy files kept in the store, compiled once per change: every change is checked against the
 * whole tree first and refused with the parser's messages when anything would not parse; versions
 * and the author of each change are kept; a default set is installed on first start.
 */
import { compilePolicy, defaultPolicyFiles, lintMessages, policyTree, type CompiledPolicy, type PolicyErrors } from '../../qrexec/policy/index.js';
import type { Store } from '../../store/store.js';
import type { PolicyFileRow, PolicyVersionRow } from '../../store/policy-repository.js';
import type { ConfigTransactions } from '../config/config-transaction.js';
import { fail } from '../errors.js';

/**
 * Main-directory files `NAME.policy` and include files `include/NAME`, of `0-9 a-z _ . -`, not
 * starting with `.` (so never `.`, `..` or a dot-file, which no directory could hold or qrexec read).
 */
const MAIN_FILE = /^[0-9a-z_-][0-9a-z_.-]*\.policy$/;
const INCLUDE_FILE = /^include\/[0-9a-z_-][0-9a-z_.-]*$/;
export const MAX_POLICY_BYTES = 256 * 1024;

export const etagOf = (version: number): string => `"v${version}"`;

export function checkPolicyName(name: string): void {
  if (name.length > 128 || (!MAIN_FILE.test(name) && !INCLUDE_FILE.test(name))) {
    fail('VALIDATION_FAILED', `policy file names are NAME.policy or include/NAME, of 0-9 a-z _ . - only, not starting with '.'; not '${name}'`);
  }
}

export class PolicyFiles {
  private files = new Map<string, PolicyFileRow>();
  private compiled: CompiledPolicy | PolicyErrors | null = null;
  /** Bumped on every change, so that callers caching decisions know. */
  generation = 0;

  constructor(
    private readonly store: Store,
    private readonly tx: ConfigTransactions,
  ) {}

  /** Loads the files; installs Cella's default policy when there are none yet. */
  async load(): Promise<void> {
    let rows = await this.store.policy.all();
    if (rows.length === 0) {
      const now = new Date();
      await this.tx.run(async ({ repos }) => {
        for (const f of defaultPolicyFiles()) await repos.policy.put(f.name, f.content, 'cella (default policy)', now);
      });
      rows = await this.store.policy.all();
    }
    this.files = new Map(rows.map((r) => [r.name, r]));
    this.recompile();
  }

  policy(): CompiledPolicy | PolicyErrors {
    return this.compiled!;
  }

  list(): PolicyFileRow[] {
    return [...this.files.values()];
  }

  get(name: string): PolicyFileRow {
    checkPolicyName(name);
    return this.files.get(name) ?? fail('POLICY_NOT_FOUND', `no policy file '${name}'`);
  }

  history(name: string): Promise<PolicyVersionRow[]> {
    checkPolicyName(name);
    return this.store.policy.history(name);
  }

  /** Writes a file if the tree still parses with it; `ifMatch` (an ETag, `*`, or null for any) guards against lost updates. */
  async put(name: string, content: string, ifMatch: string | null, ifNoneMatch: boolean, by: string): Promise<PolicyFileRow> {
    checkPolicyName(name);
    if (Buffer.byteLength(content) > MAX_POLICY_BYTES) fail('VALIDATION_FAILED', `policy files are at most ${MAX_POLICY_BYTES} bytes`);
    this.precondition(name, ifMatch, ifNoneMatch);
    this.checkTree(new Map([...this.contents(), [name, content]]));
    const row = await this.tx.run(async ({ repos, emit }) => {
      const written = await repos.policy.put(name, content, by, new Date());
      emit(`policy-file-set:${name}`, null, { name, version: written.version, by });
      return written;
    });
    this.files.set(name, row);
    this.recompile();
    return row;
  }

  async delete(name: string, ifMatch: string | null, by: string): Promise<void> {
    this.get(name);
    this.precondition(name, ifMatch, false);
    const rest = this.contents();
    rest.delete(name);
    this.checkTree(rest);
    await this.tx.run(async ({ repos, emit }) => {
      await repos.policy.delete(name, by, new Date());
      emit(`policy-file-delete:${name}`, null, { name, by });
    });
    this.files.delete(name);
    this.recompile();
  }

  private contents(): Map<string, string> {
    return new Map([...this.files].map(([n, f]) => [n, f.content]));
  }

  private precondition(name: string, ifMatch: string | null, ifNoneMatch: boolean): void {
    const current = this.files.get(name);
    if (ifNoneMatch && current) fail('POLICY_CONFLICT', `policy file '${name}' exists already (If-None-Match: *)`, { etag: etagOf(current.version) });
    if (ifMatch === null || ifMatch === '*' && current) return;
    if (!current || ifMatch !== etagOf(current.version)) {
      fail('POLICY_CONFLICT', `policy file '${name}' changed: it is ${current ? etagOf(current.version) : 'absent'}, not ${ifMatch}`, {
        etag: current ? etagOf(current.version) : null,
      });
    }
  }

  /** Refuses a tree that would not parse: every message as `file:line: message`. */
  private checkTree(files: Map<string, string>): void {
    const messages = lintMessages(policyTree([...files].map(([name, content]) => ({ name, content }))));
    if (messages.length > 0) fail('POLICY_INVALID', messages.join('\n'), { errors: messages });
  }

  private recompile(): void {
    this.compiled = compilePolicy(policyTree(this.list().map((f) => ({ name: f.name, content: f.content }))));
    this.generation++;
  }
}
