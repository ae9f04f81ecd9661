/** The catalogue of admin.* and policy.* methods the default policy covers: name, scope and access, declared once. */

/** `local` methods act on one qube (the qrexec target); `global` ones on the whole system (target dom0). */
export type AdminScope = 'local' | 'global';
/** Qubes' read / write / execute flags; write and execute share the `rwx` include file. */
export type AdminAccess = 'read' | 'write' | 'execute';

export interface AdminMethod {
  readonly name: string;
  readonly scope: AdminScope;
  readonly access: AdminAccess;
}

const method = (name: string, scope: AdminScope, access: AdminAccess): AdminMethod => ({ name, scope, access });
const local = (access: AdminAccess, ...names: string[]): AdminMethod[] => names.map((n) => method(n, 'local', access));
const global = (access: AdminAccess, ...names: string[]): AdminMethod[] => names.map((n) => method(n, 'global', access));

/** Admin API methods, with the scope and access Qubes declares for them. */
export const ADMIN_METHODS: readonly AdminMethod[] = [
  ...global('read', 'admin.vmclass.List', 'admin.vm.List', 'admin.label.List', 'admin.Events'),
  ...global('read', 'admin.property.List', 'admin.property.Get', 'admin.property.GetAll', 'admin.property.GetDefault', 'admin.property.Help'),
  ...global('write', 'admin.property.Set', 'admin.property.Reset'),
  ...global('write', 'admin.vm.Create.AppVM', 'admin.vm.Create.TemplateVM', 'admin.vm.Create.StandaloneVM', 'admin.vm.Create.DispVM'),
  ...global('write', 'admin.vm.Remove'),
  ...local('execute', 'admin.vm.Start', 'admin.vm.Shutdown', 'admin.vm.Pause', 'admin.vm.Unpause', 'admin.vm.Kill'),
  ...local('execute', 'admin.vm.Suspend', 'admin.vm.Resume'),
  ...local('read', 'admin.vm.CurrentState'),
  ...local('write', 'admin.vm.Console'),
  ...local('read', 'admin.vm.property.List', 'admin.vm.property.Get', 'admin.vm.property.GetAll', 'admin.vm.property.GetDefault', 'admin.vm.property.Help'),
  ...local('write', 'admin.vm.property.Set', 'admin.vm.property.Reset'),
  ...local('read', 'admin.vm.tag.List', 'admin.vm.tag.Get'),
  ...local('write', 'admin.vm.tag.Set', 'admin.vm.tag.Remove'),
  ...local('read', 'admin.vm.feature.List', 'admin.vm.feature.Get'),
  ...local('write', 'admin.vm.feature.Set', 'admin.vm.feature.Remove'),
  // Cella's own: VM counters, and the guest images VMs boot.
  ...local('read', 'admin.vm.Stats'),
  ...global('read', 'admin.image.List'),
  ...global('write', 'admin.image.Upload', 'admin.image.Remove'),
];

/** The Policy Admin API (qubes.md §3.9), served by qrexec itself with dom0 as target. */
export const POLICY_ADMIN_METHODS: readonly AdminMethod[] = [
  ...global('read', 'policy.List', 'policy.Get', 'policy.GetFiles', 'policy.include.List', 'policy.include.Get', 'policy.Eval'),
  ...global('write', 'policy.Replace', 'policy.Remove', 'policy.include.Replace', 'policy.include.Remove'),
];

/** `rwx` for write and execute methods, `ro` for read ones. */
export const accessLevel = (m: AdminMethod): 'rwx' | 'ro' => (m.access === 'read' ? 'ro' : 'rwx');

/** The include file that grants an admin method: `include/admin-<scope>-<rwx|ro>`. */
export const adminInclude = (m: AdminMethod): string => `include/admin-${m.scope}-${accessLevel(m)}`;

/** The include file that grants a policy.* method: `include/admin-policy-<rwx|ro>`. */
export const policyAdminInclude = (m: AdminMethod): string => `include/admin-policy-${accessLevel(m)}`;
