/**
 * The images shipped in guests/images: each sample program is an image of its own name, and
 * `base` (the idle kernel, every sample program, the standard services) is what a VM without a
 * `kernel` property runs.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type { GuestImage, ServiceTarget } from '../../guest-kernel/guest-image.js';

const IMAGES_DIR = fileURLToPath(new URL('../../../guests/images/', import.meta.url));

/** The qrexec services every VM of the base image offers, built into the PV kernel. */
export const STANDARD_SERVICES: Readonly<Record<string, ServiceTarget>> = {
  'qubes.GetDate': { builtin: 'qubes.GetDate' },
  'qubes.GetRandom': { builtin: 'qubes.GetRandom' },
  'qubes.WaitForSession': { builtin: 'qubes.WaitForSession' },
  'qubes.VMShell': { builtin: 'qubes.VMShell' },
  // Cella's sample services: guest programs with stdin and stdout joined to the call
  'cella.Echo': { program: 'echo' },
  'cella.Sha256': { program: 'sha256sum' },
  'cella.Env': { program: 'env' },
};

export function builtinImages(dir = IMAGES_DIR): GuestImage[] {
  const programs = new Map<string, Uint8Array>();
  for (const file of readdirSync(dir).filter((f) => f.endsWith('.elf')).sort()) {
    programs.set(file.slice(0, -'.elf'.length), new Uint8Array(readFileSync(`${dir}/${file}`)));
  }
  const single = [...programs].map(([name, elf]): GuestImage => ({
    name,
    kernel: name,
    programs: new Map([[name, elf]]),
    services: {},
    builtin: true,
  }));
  const base: GuestImage = { name: 'base', kernel: 'idle', programs, services: STANDARD_SERVICES, builtin: true };
  return [base, ...single];
}
