/**
 * Capabilities: a reference to a kernel object with permission bits (NOVA classic, §4.4).
 * Permission masks are 5 bits; what each bit allows depends on the object type.
 */
export type ObjectType = 'pd' | 'ec' | 'sc' | 'pt' | 'sm';

/** PD cap: may create that object type with this PD as owner. */
export const PdPerm = { PD: 1 << 0, EC: 1 << 1, SC: 1 << 2, PT: 1 << 3, SM: 1 << 4 } as const;
/** EC cap: ec_ctrl, bind an SC, bind a portal. */
export const EcPerm = { CT: 1 << 0, SC: 1 << 2, PT: 1 << 3 } as const;
/** SC cap: sc_ctrl. */
export const ScPerm = { CT: 1 << 0 } as const;
/** PT cap: pt_ctrl, call. */
export const PtPerm = { CT: 1 << 0, CALL: 1 << 1 } as const;
/** SM cap: up, down. */
export const SmPerm = { UP: 1 << 0, DN: 1 << 1 } as const;

export const ALL_PERMS = 0x1f;

/** A kernel object that capabilities can name; `alive` goes false when it is destroyed. */
export interface KernelObject {
  readonly type: ObjectType;
  readonly id: number;
  alive: boolean;
}
