/** What handling one guest ECALL led to. */

export type SyscallOutcome =
  /** Done: a0 = value, the vCPU goes on after the ECALL. */
  | { readonly kind: 'return'; readonly value: number }
  /** Cannot complete yet (e.g. input would block): the vCPU blocks and the ECALL runs again later. */
  | { readonly kind: 'block' }
  /** The process ended with `status`. */
  | { readonly kind: 'exit'; readonly status: number };

export const returns = (value: number): SyscallOutcome => ({ kind: 'return', value: value | 0 });
export const BLOCK: SyscallOutcome = { kind: 'block' };
