/** The VM classes, as Qubes names them, and what each may be created as. */
export const VM_CLASSES = ['AppVM', 'TemplateVM', 'StandaloneVM', 'DispVM', 'AdminVM'] as const;
export type VmClass = (typeof VM_CLASSES)[number];

/** Classes a client may create; AdminVM is dom0 alone. */
export const CREATABLE_CLASSES = ['AppVM', 'TemplateVM', 'StandaloneVM', 'DispVM'] as const;
export type CreatableClass = (typeof CREATABLE_CLASSES)[number];

/** Classes whose root image comes from a template (Qubes: has a `template` property). */
export const TEMPLATE_BASED_CLASSES: readonly VmClass[] = ['AppVM', 'DispVM'];

export function isTemplateBased(klass: string): boolean {
  return TEMPLATE_BASED_CLASSES.includes(klass as VmClass);
}
