/** Tag and feature schemas. */
import { z } from 'zod';

export const TagList = z.object({ tags: z.array(z.string()) }).meta({ id: 'TagList' });
export const TagParams = z.object({ name: z.string().min(1).max(255), tag: z.string().min(1).max(1024) });

export const FeatureMap = z
  .object({ features: z.record(z.string(), z.string()) })
  .meta({ id: 'FeatureMap', description: 'Feature name to value; true is "1", false is ""' });
export const FeatureParams = z.object({ name: z.string().min(1).max(255), feature: z.string().min(1).max(1024) });
export const Feature = z.object({ name: z.string(), value: z.string() }).meta({ id: 'Feature' });
export const FeatureSet = z
  .strictObject({ value: z.string().max(4096).describe('Printable ASCII (0x20–0x7E)') })
  .meta({ id: 'FeatureSet' });
