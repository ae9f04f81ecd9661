/** Why `Vcpu.run` returned: the VM exits of the vCPU. */

export type VcpuExit =
  /** The instruction budget is spent. */
  | { readonly reason: 'budget'; readonly retired: number }
  /** ECALL at `pc` (not yet retired): a syscall or hypercall for the host; finish it with completeEcall. */
  | { readonly reason: 'ecall'; readonly retired: number; readonly pc: number }
  /** WFI retired: the vCPU may block until an interrupt is pending. */
  | { readonly reason: 'wfi'; readonly retired: number; readonly pc: number }
  /** EBREAK at `pc` with no guest trap vector. */
  | { readonly reason: 'breakpoint'; readonly retired: number; readonly pc: number }
  /** An exception with no guest trap vector: mcause-style `cause`, faulting `pc` and `tval` (address or bits). */
  | { readonly reason: 'fault'; readonly retired: number; readonly cause: number; readonly pc: number; readonly tval: number };

export type VcpuExitReason = VcpuExit['reason'];
