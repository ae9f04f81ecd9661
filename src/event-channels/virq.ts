/** Virtual IRQs (Xen's VIRQ_*) and their binding class: per vCPU, per domain or global. */

export const VIRQ = {
  TIMER: 0,
  DEBUG: 1,
  CONSOLE: 2,
  DOM_EXC: 3,
  TBUF: 4,
  DEBUGGER: 6,
  XENOPROF: 7,
  CON_RING: 8,
  PCPU_STATE: 9,
  MEM_EVENT: 10,
  ARGO: 11,
  ENOMEM: 12,
  XENPMU: 13,
} as const;

/** Number of VIRQ slots (0–15 common, 16–23 arch-specific). */
export const NR_VIRQS = 24;

export type VirqClass = 'vcpu' | 'domain' | 'global';

/**
 * The class of a VIRQ: TIMER, DEBUG, XENOPROF, XENPMU are per vCPU; ARGO is per domain; the
 * arch range 16–23 is per vCPU (RISC-V defines no global arch VIRQ); every other number is global.
 */
export function virqClass(virq: number): VirqClass {
  switch (virq) {
    case VIRQ.TIMER: case VIRQ.DEBUG: case VIRQ.XENOPROF: case VIRQ.XENPMU: return 'vcpu';
    case VIRQ.ARGO: return 'domain';
    default: return virq >= 16 && virq < NR_VIRQS ? 'vcpu' : 'global';
  }
}
