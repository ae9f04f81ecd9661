/** CLI failures and Qubes' exit codes: 0 ok, 1 runtime error, 2 usage error or no such VM. */
export const EXIT_OK = 0;
export const EXIT_RUNTIME = 1;
export const EXIT_USAGE = 2;
export const EXIT_NO_SUCH_VM = 2;

export class CliError extends Error {
  constructor(
    readonly exitCode: number,
    message: string,
    readonly code?: string,
    /** The problem's details (the VM's state for INVALID_STATE). */
    readonly details?: Record<string, unknown>,
  ) {
    super(message);
  }
}

export const usage = (message: string): CliError => new CliError(EXIT_USAGE, message);
