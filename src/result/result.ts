/**
 * Results as values, the one shape every layer of the model returns instead of throwing for an
 * expected refusal: a value, or an error whose type the layer names (an errno name of XenStore, a
 * qrexec protocol error, a vchan setup error, a suspend-file error, a policy message). Guest-facing
 * errno numbers are not Results: the guest kernel returns them as negative numbers (`errno`), and
 * the VMM throws CellaErrors at its callers.
 */
export type Result<T, E = string> = { readonly ok: true; readonly value: T } | { readonly ok: false; readonly error: E };

export function ok<T>(value: T): Result<T, never> {
  return { ok: true, value };
}

export function err<E>(error: E): Result<never, E> {
  return { ok: false, error };
}
