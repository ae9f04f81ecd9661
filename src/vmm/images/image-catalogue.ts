/** The guest images a VM can boot: the built-in ones and those uploaded through the API (kept in the store). */
import { parseElf32 } from '../../vcpu/elf/elf32-file.js';
import { isElfError } from '../../vcpu/elf/elf-error.js';
import type { Store } from '../../store/store.js';
import { fail } from '../errors.js';
import { builtinImages } from './builtin-images.js';
import { IMAGE_NAME_PATTERN, type GuestImage, type ServiceTarget } from '../../guest-kernel/guest-image.js';

export interface ImageUpload {
  name: string;
  kernel: string;
  programs: Record<string, Uint8Array>;
  services: Record<string, ServiceTarget>;
}

/** At most this many programs per image, and this many bytes per program. */
export const MAX_PROGRAMS = 64;
export const MAX_PROGRAM_BYTES = 8 * 1024 * 1024;

export class ImageCatalogue {
  private readonly builtin = new Map(builtinImages().map((i) => [i.name, i]));
  private uploaded = new Map<string, GuestImage>();

  constructor(private readonly store: Store) {}

  async load(): Promise<void> {
    const rows = await this.store.images.all();
    this.uploaded = new Map(
      rows.map((r) => [
        r.name,
        { name: r.name, kernel: r.kernel, services: JSON.parse(r.services) as GuestImage['services'], programs: new Map(r.programs.map((p) => [p.name, p.elf])), builtin: false },
      ]),
    );
  }

  get(name: string): GuestImage | undefined {
    return this.builtin.get(name) ?? this.uploaded.get(name);
  }

  mustGet(name: string): GuestImage {
    return this.get(name) ?? fail('IMAGE_NOT_FOUND', `no such guest image: '${name}'`);
  }

  list(): GuestImage[] {
    return [...this.builtin.values(), ...this.uploaded.values()].sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  /** Validates every ELF and the tables, then stores the image; nothing is kept when anything is wrong. */
  async add(upload: ImageUpload): Promise<GuestImage> {
    checkUpload(upload);
    if (this.get(upload.name)) fail('IMAGE_EXISTS', `a guest image named '${upload.name}' already exists`);
    await this.store.images.create({
      name: upload.name,
      kernel: upload.kernel,
      services: JSON.stringify(upload.services),
      programs: Object.entries(upload.programs).map(([name, elf]) => ({ name, elf })),
    });
    const image: GuestImage = { ...upload, programs: new Map(Object.entries(upload.programs)), builtin: false };
    this.uploaded.set(image.name, image);
    return image;
  }

  /** Removes an uploaded image; `users` are the VMs that boot it. */
  async remove(name: string, users: readonly string[]): Promise<void> {
    const image = this.mustGet(name);
    if (image.builtin) fail('VM_PROTECTED', `guest image '${name}' is built in and cannot be removed`);
    if (users.length > 0) fail('IMAGE_IN_USE', `guest image '${name}' is in use by ${users.join(', ')}`, { users: [...users] });
    await this.store.images.delete(name);
    this.uploaded.delete(name);
  }
}

function checkUpload(u: ImageUpload): void {
  const names = Object.keys(u.programs);
  if (!IMAGE_NAME_PATTERN.test(u.name)) fail('IMAGE_INVALID', `image name '${u.name}' must match ${IMAGE_NAME_PATTERN}`);
  if (names.length === 0 || names.length > MAX_PROGRAMS) fail('IMAGE_INVALID', `an image has 1 to ${MAX_PROGRAMS} programs`);
  for (const [name, elf] of Object.entries(u.programs)) {
    if (!IMAGE_NAME_PATTERN.test(name)) fail('IMAGE_INVALID', `program name '${name}' must match ${IMAGE_NAME_PATTERN}`);
    if (elf.length > MAX_PROGRAM_BYTES) fail('IMAGE_INVALID', `program '${name}' is larger than ${MAX_PROGRAM_BYTES} bytes`);
    const parsed = parseElf32(elf);
    if (isElfError(parsed)) fail('IMAGE_INVALID', `program '${name}': ${parsed.message}`, { program: name, elf_error: parsed.code });
  }
  if (!u.programs[u.kernel]) fail('IMAGE_INVALID', `kernel '${u.kernel}' is not one of the image's programs`);
  for (const [service, target] of Object.entries(u.services)) {
    if (!/^[A-Za-z0-9_.-]{1,64}$/.test(service)) fail('IMAGE_INVALID', `service name '${service}' has characters qrexec refuses`);
    if ('program' in target && !u.programs[target.program]) fail('IMAGE_INVALID', `service '${service}' names a missing program '${target.program}'`);
  }
}
