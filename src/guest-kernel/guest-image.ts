/**
 * A guest image: a named bundle of the kernel program vCPU 0 starts at boot, the programs the VM
 * can run, and a service table (qrexec service name → a built-in of the PV kernel or a program).
 */
export type ServiceTarget = { readonly builtin: string } | { readonly program: string };

export interface GuestImage {
  readonly name: string;
  /** Name of the program (in `programs`) that vCPU 0 runs at boot. */
  readonly kernel: string;
  readonly programs: ReadonlyMap<string, Uint8Array>;
  readonly services: Readonly<Record<string, ServiceTarget>>;
  /** Shipped with Cella (from guests/images): cannot be deleted. */
  readonly builtin: boolean;
}

/** Image and program names: like VM names but may start with a digit. */
export const IMAGE_NAME_PATTERN = /^[a-zA-Z0-9][a-zA-Z0-9_.-]{0,63}$/;
