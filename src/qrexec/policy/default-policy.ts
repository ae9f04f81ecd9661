/** Cella's default policy tree, laid out like Qubes' policy.d: user file, default rules, generated admin policy, include files. */
import { ADMIN_METHODS, adminInclude, POLICY_ADMIN_METHODS, policyAdminInclude, type AdminMethod } from './admin-methods.js';
import { policyTree, type PolicyFile, type PolicyTree } from './policy-tree.js';

const USER_POLICY = `## Your own rules go here: files are read in name order and the first matching rule wins,
## so a rule in this file overrides the defaults in 90-*.policy.
##
## SERVICE  ARGUMENT  SOURCE  TARGET  ACTION  [PARAM=VALUE ...]
## e.g.:  qubes.Filecopy  *  work  vault  deny
`;

const DEFAULT_RULES = `## Cella's default rules, in the spirit of Qubes' 90-default.policy.
## Do not edit: put your own rules in 30-user.policy.

# Opt-in only.
policy.RegisterArgument  *  @anyvm        @anyvm    deny
qubes.ConnectTCP         *  @anyvm        @anyvm    deny

# Qubes report their features to dom0.
qubes.FeaturesRequest    *  @anyvm        dom0      allow

# Time and randomness: any qube may ask any other (anonymous qubes excepted for the clock).
qubes.GetDate            *  @tag:anon-vm  @anyvm    deny
qubes.GetDate            *  @anyvm        @anyvm    allow
qubes.GetRandom          *  @anyvm        @anyvm    allow

# Copying files and opening things elsewhere: the user chooses where.
qubes.Filecopy           *  @anyvm        @anyvm    ask
qubes.OpenInVM           *  @anyvm        @dispvm   allow
qubes.OpenInVM           *  @anyvm        @anyvm    ask
qubes.StartApp           *  @anyvm        @dispvm   allow
qubes.StartApp           *  @anyvm        @anyvm    ask

# Shells: a qube fully controls a new disposable of its own; anything else is asked; root shells never.
qubes.VMShell            *  @anyvm        @dispvm   allow
qubes.VMShell            *  @anyvm        @anyvm    ask
qubes.VMExec             *  @anyvm        @dispvm   allow
qubes.VMExec             *  @anyvm        @anyvm    ask
qubes.VMRootShell        *  @anyvm        @anyvm    deny

# Templates fetch updates through sys-net; nobody else uses the proxy.
qubes.UpdatesProxy       *  @type:TemplateVM  @default  allow target=sys-net
qubes.UpdatesProxy       *  @anyvm        @anyvm    deny
`;

const ADMIN_DENY = `## Probed by every management client: deny without a notification.
admin.vm.property.GetAll  *  @anyvm  @anyvm    deny notify=no
admin.vm.property.GetAll  *  @anyvm  @adminvm  deny notify=no
admin.property.GetAll     *  @anyvm  @adminvm  deny notify=no
`;

const grantComment = (what: string): string => `## Old per-service syntax: SOURCE TARGET ACTION[,PARAM=VALUE...].
## Grants ${what}. Empty by default: only dom0, which the policy does not govern, may call these.
## Example: mgmtvm @anyvm allow,target=dom0
`;

/** One `!include-service METHOD * INCLUDE` line per method, as Qubes' generate-admin-policy writes them. */
export function includeServiceLines(methods: readonly AdminMethod[], include: (m: AdminMethod) => string): string {
  const header = '## Generated from the method catalogue: each method is granted by one include file.\n';
  return header + methods.map((m) => `!include-service ${m.name} * ${include(m)}\n`).join('');
}

function includeFiles(prefix: string, what: string): PolicyFile[] {
  return [
    { name: `include/${prefix}-rwx`, content: grantComment(`${what} (read, write and execute)`) },
    { name: `include/${prefix}-ro`, content: `${grantComment(`${what} (read only); rwx grants imply ro`)}!include include/${prefix}-rwx\n` },
  ];
}

/** The default files; `methods` defaults to the catalogue in admin-methods.ts. */
export function defaultPolicyFiles(methods: readonly AdminMethod[] = ADMIN_METHODS): PolicyFile[] {
  return [
    { name: '30-user.policy', content: USER_POLICY },
    { name: '90-default.policy', content: DEFAULT_RULES },
    { name: '90-admin-default.policy', content: includeServiceLines(methods, adminInclude) },
    { name: '90-admin-policy-default.policy', content: includeServiceLines(POLICY_ADMIN_METHODS, policyAdminInclude) },
    { name: '91-admin-default-deny.policy', content: ADMIN_DENY },
    ...includeFiles('admin-local', 'admin methods on one qube'),
    ...includeFiles('admin-global', 'system-wide admin methods'),
    ...includeFiles('admin-policy', 'the policy.* methods'),
  ];
}

export function defaultPolicyTree(methods: readonly AdminMethod[] = ADMIN_METHODS): PolicyTree {
  return policyTree(defaultPolicyFiles(methods));
}
