/** /healthz and the property catalogue. */
import { z } from 'zod';
import { PROPERTIES } from '../../vmm/config/properties.js';
import { VM_CLASSES } from '../../vmm/config/vm-class.js';
import { PropertyInfo } from '../schemas/vm.js';
import { problems, publicProblems } from '../schemas/problem.js';
import { global } from '../admin-check.js';
import type { ZodApp } from './types.js';

export const Health = z.object({ status: z.literal('ok'), version: z.string() }).meta({ id: 'Health' });

export function systemRoutes(app: ZodApp, version: string): void {
  app.get('/healthz', {
    config: { public: true },
    schema: {
      operationId: 'health',
      tags: ['system'],
      summary: 'Liveness: the manager answers',
      response: { 200: Health, ...publicProblems(401) },
    },
    handler: async () => ({ status: 'ok' as const, version }),
  });

  app.get('/api/v1/properties', {
    config: { admin: global('admin.vm.property.Help') },
    schema: {
      operationId: 'listProperties',
      tags: ['system'],
      summary: 'The VM property catalogue: type, default and doc of each (qvm-prefs --help-properties)',
      response: { 200: z.object({ properties: z.array(PropertyInfo) }), ...problems(401) },
    },
    handler: async () => ({
      properties: PROPERTIES.map((p) => ({
        name: p.name,
        type: p.type,
        doc: p.doc,
        readonly: p.readonly,
        default: p.default,
        inherits_from_template: p.inheritsFromTemplate,
        classes: [...(p.classes ?? VM_CLASSES)],
        ...(p.unit ? { unit: p.unit } : {}),
      })),
    }),
  });
}
