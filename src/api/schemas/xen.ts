/** Introspection schemas: event channels (lsevtchn) and grants (Xen's 'g' debug key). */
import { z } from 'zod';

export const EventChannelList = z
  .object({
    domid: z.number().int(),
    ports: z.array(
      z.object({
        port: z.number().int(),
        state: z.string().describe('unbound, interdomain, virq, ipi, reserved'),
        notifyVcpu: z.number().int(),
        remoteDom: z.number().int().optional(),
        remotePort: z.number().int().optional(),
        virq: z.number().int().optional(),
        pending: z.boolean(),
        masked: z.boolean(),
      }),
    ),
  })
  .meta({ id: 'EventChannelList' });

const Active = z.object({
  ref: z.number().int(),
  mapper: z.number().int().describe('The domain that has the entry pinned'),
  pin: z.number().int(),
  hostWritable: z.number().int(),
  hostReadonly: z.number().int(),
  flags: z.number().int().describe('The entry as it is in the granter’s memory (GTF_*)'),
  domid: z.number().int(),
  frame: z.number().int(),
});
const Mapping = z.object({ handle: z.number().int(), granter: z.number().int(), ref: z.number().int(), readonly: z.boolean(), hostAddr: z.number().int() });
const GrantDomain = z.object({
  domid: z.number().int(),
  zombie: z.boolean().describe('A dead granter whose frames are still mapped'),
  nrFrames: z.number().int(),
  maxFrames: z.number().int(),
  active: z.array(Active).describe('Entries of this domain pinned by mappers'),
  mappings: z.array(Mapping).describe('Frames of other domains this domain has mapped'),
});

export const GrantReport = GrantDomain.extend({ zombies: z.array(GrantDomain) }).meta({ id: 'GrantReport' });
