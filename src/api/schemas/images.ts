/** Guest image schemas. */
import { z } from 'zod';

const ServiceTarget = z.union([
  z.strictObject({ builtin: z.string().min(1).max(64) }),
  z.strictObject({ program: z.string().min(1).max(64) }),
]);

export const Image = z
  .object({
    name: z.string(),
    kernel: z.string().describe('The program vCPU 0 runs at boot'),
    programs: z.array(z.object({ name: z.string(), bytes: z.number().int() })),
    services: z.record(z.string(), ServiceTarget).describe('qrexec service name → built-in or program'),
    builtin: z.boolean().describe('Shipped with Cella; cannot be removed'),
    users: z.array(z.string()).describe('VMs that boot this image'),
  })
  .meta({ id: 'Image' });

export const ImageList = z.object({ images: z.array(Image) }).meta({ id: 'ImageList' });

export const ImageUpload = z
  .strictObject({
    name: z.string().min(1).max(64).describe('Image name'),
    kernel: z.string().min(1).max(64).describe('Which program boots'),
    programs: z
      .record(z.string().min(1).max(64), z.base64().max(12 * 1024 * 1024))
      .describe('Program name → static RV32IM ELF, base64'),
    services: z.record(z.string().min(1).max(64), ServiceTarget).default({}),
  })
  .meta({ id: 'ImageUpload' });

export const ImageNameParam = z.object({ name: z.string().min(1).max(255) });
