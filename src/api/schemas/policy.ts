/** Policy schemas: files, history, evaluation requests and decisions, pending questions, tokens. */
import { z } from 'zod';

export const PolicyFileInfo = z
  .object({
    name: z.string().describe('NAME.policy in the main directory, or include/NAME'),
    version: z.number().int(),
    etag: z.string().describe('Send as If-Match to change the file only if it is still this version'),
    updated_at: z.string(),
    updated_by: z.string(),
    bytes: z.number().int(),
  })
  .meta({ id: 'PolicyFileInfo' });

export const PolicyFile = PolicyFileInfo.extend({ content: z.string() }).meta({ id: 'PolicyFile' });
export const PolicyFileList = z.object({ files: z.array(PolicyFileInfo) }).meta({ id: 'PolicyFileList' });
export const PolicyFileParam = z.object({ name: z.string().min(1).max(255).describe('File name; encode / as %2F') });
export const PolicyFileWrite = z
  .strictObject({ content: z.string().max(256 * 1024).describe('The whole file, Qubes policy v5 syntax') })
  .meta({ id: 'PolicyFileWrite' });

export const PolicyHistory = z
  .object({
    name: z.string(),
    versions: z.array(
      z.object({
        version: z.number().int(),
        action: z.enum(['create', 'update', 'delete']),
        content: z.string().nullable(),
        changed_at: z.string(),
        changed_by: z.string(),
      }),
    ),
  })
  .meta({ id: 'PolicyHistory' });

const callName = z.string().min(1).max(255);

export const EvaluateRequest = z
  .strictObject({
    source: callName.describe('The calling VM (it need not exist)'),
    target: z.string().max(255).describe('What the caller asks for: a VM, dom0/@adminvm, @dispvm[:X], @default, uuid:…'),
    service: callName.describe('Service name, e.g. qubes.GetDate; SERVICE+ARG is split'),
    argument: z.string().max(255).default('').describe("Argument without or with its leading '+'"),
  })
  .meta({ id: 'EvaluateRequest' });

const RuleRef = z.object({ file: z.string(), line: z.number().int(), text: z.string() });

export const Decision = z
  .object({
    action: z.enum(['allow', 'deny', 'ask']),
    target: z.string().nullable().describe('For allow: where the call goes (@dispvm:X = a new disposable from X)'),
    requested_target: z.string(),
    user: z.string().nullable(),
    autostart: z.boolean(),
    notify: z.boolean(),
    ask_choices: z.object({ targets: z.array(z.string()), default_target: z.string().nullable() }).nullable(),
    rule: RuleRef.nullable().describe('The rule that decided; null when none matched'),
    reason: z.string(),
  })
  .meta({ id: 'Decision' });

export const PendingAsk = z
  .object({
    id: z.string(),
    source: z.string(),
    target: z.string(),
    service: z.string(),
    argument: z.string(),
    choices: z.array(z.string()),
    default_target: z.string().nullable(),
    rule: RuleRef.nullable(),
    created_at: z.string(),
    expires_at: z.string(),
  })
  .meta({ id: 'PendingAsk' });

export const AskAnswer = z
  .discriminatedUnion('allow', [
    z.strictObject({ allow: z.literal(true), target: z.string().min(1).max(255).describe('One of the choices') }),
    z.strictObject({ allow: z.literal(false) }),
  ])
  .meta({ id: 'AskAnswer' });

export const TokenCreate = z
  .strictObject({ name: z.string().min(1).max(64), vm: z.string().min(1).max(64).describe('The management VM the token acts as') })
  .meta({ id: 'TokenCreate' });
export const TokenInfo = z.object({ name: z.string(), vm: z.string(), created_at: z.string() }).meta({ id: 'TokenInfo' });
export const TokenCreated = TokenInfo.extend({ token: z.string().describe('The secret, shown only now') }).meta({ id: 'TokenCreated' });
