/** What a domain is built from: its name and id, memory, vCPUs, guest image, console, seed and settings (a suspend file keeps it). */
import type { GuestImage } from './guest-image.js';

export interface VmSpec {
  readonly name: string;
  readonly domid: number;
  readonly memoryMiB: number;
  readonly vcpus: number;
  readonly image: GuestImage;
  readonly consoleBuffer: number;
  /** Seed of the guest's deterministic random generator. */
  readonly seed: number;
  /** Highest event-channel port the domain may allocate. */
  readonly maxEventChannels: number;
  /** Written to the domain's store home under vm-config/ (Qubes' vm-config.* features). */
  readonly vmConfig: Record<string, string>;
  /** Words after the VM name in the kernel's argv (the feature kernel-args). */
  readonly kernelArgs?: readonly string[];
}
