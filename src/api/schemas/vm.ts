/** VM schemas, derived from the property catalogue so that it stays the one declaration. */
import { z } from 'zod';
import { LABEL_NAMES } from '../../vmm/config/label.js';
import { POWER_STATES } from '../../vmm/config/power-state.js';
import { PROPERTIES, SETTABLE_PROPERTIES, type PropertyDef } from '../../vmm/config/properties.js';
import { CREATABLE_CLASSES, VM_CLASSES } from '../../vmm/config/vm-class.js';
import { VM_NAME_MAX, VM_NAME_PATTERN } from '../../vmm/config/vm-name.js';
import type { VmView } from '../../vmm/config/vm-view.js';

export const VmName = z
  .string()
  .min(1)
  .max(VM_NAME_MAX)
  .regex(VM_NAME_PATTERN, 'a letter first, then letters, digits, _ . - only')
  .describe('VM name (Qubes rule)');

/** Any name in a path: whether it exists is the handler's answer (404), not a validation error. */
export const VmNameParam = z.object({ name: z.string().min(1).max(255).describe('VM name') });

function shownSchema(p: PropertyDef): z.ZodType {
  const base =
    p.type === 'int' ? z.number().int() : p.type === 'bool' ? z.boolean() : p.type === 'label' ? z.enum(LABEL_NAMES) : z.string();
  const nullable = p.type === 'vm' || p.classes !== undefined;
  return (nullable ? base.nullable() : base).describe(p.doc);
}

export const Vm = z
  .object({
    ...Object.fromEntries(PROPERTIES.map((p) => [p.name, shownSchema(p)])),
    class: z.enum(VM_CLASSES).describe('The VM class'),
    state: z.enum(POWER_STATES).describe('Power state'),
    tags: z.array(z.string()).describe('Tags, sorted'),
    defaults: z.array(z.string()).describe('Properties that hold their default value (not set on this VM)'),
  })
  .meta({ id: 'Vm' }) as unknown as z.ZodType<VmView>;

function settableShape(exclude: readonly string[]): Record<string, z.ZodType> {
  return Object.fromEntries(
    SETTABLE_PROPERTIES.filter((p) => !exclude.includes(p.name)).map((p) => [p.name, p.schema.nullable().optional().describe(p.doc)]),
  );
}

export const VmPatch = z
  .strictObject(settableShape([]))
  .meta({ id: 'VmPatch', description: 'Properties to change; null resets a property to its default' });

export const VmCreate = z
  .strictObject({
    name: VmName,
    class: z.enum(CREATABLE_CLASSES).default('AppVM').describe('VM class; AppVM when absent'),
    label: z.enum(LABEL_NAMES).describe('Label (required, as in qvm-create)'),
    template: z.string().min(1).max(VM_NAME_MAX).optional().describe('Template (AppVM: a TemplateVM; DispVM: a disposable template)'),
    properties: z.strictObject(settableShape(['name', 'label', 'template'])).default({}).describe('Other properties to set'),
  })
  .meta({ id: 'VmCreate' });

export const VmListQuery = z.strictObject({
  class: z.enum(VM_CLASSES).optional().describe('Only VMs of this class'),
  label: z.enum(LABEL_NAMES).optional().describe('Only VMs with this label'),
  tag: z.string().min(1).max(255).optional().describe('Only VMs with this tag'),
  state: z.enum(POWER_STATES).optional().describe('Only VMs in this power state'),
  offset: z.coerce.number().int().min(0).max(1_000_000).default(0).describe('Items to skip'),
  limit: z.coerce.number().int().min(1).max(1000).default(100).describe('Items per page (at most 1000)'),
});

export const VmList = z
  .object({
    items: z.array(Vm),
    total: z.number().int().describe('VMs matching the filters'),
    offset: z.number().int(),
    limit: z.number().int(),
  })
  .meta({ id: 'VmList' });

export const PropertyInfo = z
  .object({
    name: z.string(),
    type: z.enum(['str', 'int', 'bool', 'label', 'vm']),
    doc: z.string(),
    readonly: z.boolean(),
    default: z.union([z.string(), z.number(), z.boolean(), z.null()]).describe('Value when unset (before template inheritance)'),
    inherits_from_template: z.boolean(),
    classes: z.array(z.enum(VM_CLASSES)).describe('Classes that have this property'),
    unit: z.string().optional(),
  })
  .meta({ id: 'PropertyInfo' });
