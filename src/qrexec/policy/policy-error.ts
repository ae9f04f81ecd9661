/** A policy syntax or configuration error, located at file:line as qrexec reports it. */
export interface PolicyError {
  /** Path in the policy tree (e.g. `30-user.policy`, `include/admin-local-rwx`). */
  readonly file: string;
  /** 1-based line, or null when the error is about the file itself (e.g. an invalid file name). */
  readonly line: number | null;
  readonly message: string;
}

/** The failed outcome of compiling a policy: every call is denied until these are fixed. */
export interface PolicyErrors {
  readonly ok: false;
  readonly errors: readonly PolicyError[];
}

export function policyError(file: string, line: number | null, message: string): PolicyError {
  return { file, line, message };
}

/** `file:line: message` (or `file: message` when there is no line). */
export function formatPolicyError(e: PolicyError): string {
  return e.line === null ? `${e.file}: ${e.message}` : `${e.file}:${e.line}: ${e.message}`;
}
