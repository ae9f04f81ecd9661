/** /api/v1/policy: files (with ETags and history), dry-run evaluation; /api/v1/qrexec/asks: pending questions. */
import { z } from 'zod';
import { splitServiceName, type Decision as PolicyDecision, type PolicyFileRow } from '../../vmm/commands.js';
import type { Manager } from '../../vmm/manager.js';
import { etagOf } from '../../vmm/policy/policy-files.js';
import { global } from '../admin-check.js';
import {
  AskAnswer, Decision, EvaluateRequest, PendingAsk, PolicyFile, PolicyFileList, PolicyFileParam, PolicyFileWrite, PolicyHistory,
} from '../schemas/policy.js';
import { problems } from '../schemas/problem.js';
import type { ZodApp } from './types.js';

const fileArg = (req: { params: unknown }) => `+${(req.params as { name: string }).name}`;

function info(row: PolicyFileRow) {
  return {
    name: row.name, version: row.version, etag: etagOf(row.version), updated_at: row.updatedAt.toISOString(),
    updated_by: row.updatedBy, bytes: Buffer.byteLength(row.content),
  };
}

export function decisionJson(d: PolicyDecision) {
  return {
    action: d.action, target: d.target, requested_target: d.requestedTarget, user: d.user, autostart: d.autostart, notify: d.notify,
    ask_choices: d.askChoices ? { targets: [...d.askChoices.targets], default_target: d.askChoices.defaultTarget } : null,
    rule: d.rule, reason: d.reason,
  };
}

const header = (value: string | string[] | undefined): string | null => (Array.isArray(value) ? value[0] : value) ?? null;

export function policyRoutes(app: ZodApp, manager: Manager): void {
  app.get('/api/v1/policy/files', {
    config: { admin: global('policy.List') },
    schema: { operationId: 'listPolicyFiles', tags: ['policy'], summary: 'List policy files (policy.List)', response: { 200: PolicyFileList, ...problems(401, 403) } },
    handler: async () => ({ files: (await manager.execute({ type: 'policy.list' })).map(info) }),
  });

  app.get('/api/v1/policy/files/:name', {
    config: { admin: global('policy.Get', fileArg) },
    schema: {
      operationId: 'getPolicyFile', tags: ['policy'], summary: 'Read a policy file, with its ETag (policy.Get)',
      params: PolicyFileParam, response: { 200: PolicyFile, ...problems(400, 401, 403, 404) },
    },
    handler: async (req, reply) => {
      const row = await manager.execute({ type: 'policy.get', name: req.params.name });
      reply.header('etag', etagOf(row.version));
      return { ...info(row), content: row.content };
    },
  });

  app.put('/api/v1/policy/files/:name', {
    config: { admin: global('policy.Replace', fileArg) },
    schema: {
      operationId: 'putPolicyFile', tags: ['policy'],
      summary: 'Write a policy file (policy.Replace); refused, changing nothing, when the tree would not parse',
      description: 'If-Match: an ETag from GET (the write fails with 412 when the file changed since), or `*`. If-None-Match: `*` creates only.',
      params: PolicyFileParam, body: PolicyFileWrite,
      response: { 200: PolicyFileInfo200(), ...problems(400, 401, 403, 412, 413, 415, 422) },
    },
    handler: async (req, reply) => {
      const row = await manager.execute({
        type: 'policy.put', name: req.params.name, content: req.body.content, by: req.caller,
        ifMatch: header(req.headers['if-match']), ifNoneMatch: header(req.headers['if-none-match']) === '*',
      });
      reply.header('etag', etagOf(row.version));
      return info(row);
    },
  });

  app.delete('/api/v1/policy/files/:name', {
    config: { admin: global('policy.Remove', fileArg) },
    schema: {
      operationId: 'deletePolicyFile', tags: ['policy'], summary: 'Remove a policy file (policy.Remove); refused when the rest would not parse',
      params: PolicyFileParam, response: { 204: z.undefined().describe('Removed'), ...problems(400, 401, 403, 404, 412, 422) },
    },
    handler: async (req, reply) => {
      await manager.execute({ type: 'policy.delete', name: req.params.name, ifMatch: header(req.headers['if-match']), by: req.caller });
      return reply.code(204).send();
    },
  });

  app.get('/api/v1/policy/files/:name/history', {
    config: { admin: global('policy.Get', fileArg) },
    schema: {
      operationId: 'getPolicyHistory', tags: ['policy'], summary: 'Every version of a policy file: who changed it and when',
      params: PolicyFileParam, response: { 200: PolicyHistory, ...problems(400, 401, 403) },
    },
    handler: async (req) => ({
      name: req.params.name,
      versions: (await manager.execute({ type: 'policy.history', name: req.params.name })).map((v) => ({
        version: v.version, action: v.action as 'create' | 'update' | 'delete', content: v.content, changed_at: v.changedAt.toISOString(), changed_by: v.changedBy,
      })),
    }),
  });

  app.post('/api/v1/policy/check', {
    config: { admin: global('policy.List') },
    schema: {
      operationId: 'checkPolicy', tags: ['policy'],
      summary: 'Lint a set of policy files (a whole tree) without storing anything',
      body: z.strictObject({ files: z.array(z.strictObject({ name: z.string().min(1).max(255), content: z.string().max(256 * 1024) })).max(1000) }),
      response: { 200: z.object({ errors: z.array(z.string()).describe('file:line: message, for every problem') }), ...problems(400, 401, 413, 415) },
    },
    bodyLimit: 8 * 1024 * 1024,
    handler: async (req) => ({ errors: await manager.execute({ type: 'policy.check', files: req.body.files }) }),
  });

  app.post('/api/v1/policy/evaluate', {
    config: { admin: global('policy.Eval') },
    schema: {
      operationId: 'evaluatePolicy', tags: ['policy'],
      summary: 'Dry run: what the policy decides for a call, and the rule that decided (policy.Eval, qubes-issues #6264)',
      body: EvaluateRequest, response: { 200: Decision, ...problems(400, 401, 403, 413, 415) },
    },
    handler: async (req) => {
      const split = splitServiceName(req.body.service);
      const given = req.body.argument;
      const argument = given === '' ? split.argument : given.startsWith('+') ? given : `+${given}`;
      const decision = await manager.execute({
        type: 'policy.evaluate',
        request: { source: req.body.source, target: req.body.target, service: split.service, argument },
      });
      return decisionJson(decision);
    },
  });
}

function PolicyFileInfo200() {
  return PolicyFile.omit({ content: true });
}

export function askRoutes(app: ZodApp, manager: Manager): void {
  app.get('/api/v1/qrexec/asks', {
    schema: {
      operationId: 'listAsks', tags: ['policy'], summary: 'Questions waiting for an answer (calls whose policy said ask)',
      response: { 200: z.object({ asks: z.array(PendingAsk) }), ...problems(401, 403) },
    },
    handler: async () => ({
      asks: (await manager.execute({ type: 'qrexec.asks' })).map((a) => ({
        id: a.id, source: a.request.source, target: a.request.target, service: a.request.service, argument: a.request.argument,
        choices: [...(a.decision.askChoices?.targets ?? [])], default_target: a.decision.askChoices?.defaultTarget ?? null,
        rule: a.decision.rule, created_at: a.createdAt, expires_at: a.expiresAt,
      })),
    }),
  });

  app.post('/api/v1/qrexec/asks/:id', {
    schema: {
      operationId: 'answerAsk', tags: ['policy'], summary: 'Answer a question: allow with a target from its choices, or deny',
      params: z.object({ id: z.string().min(1).max(64) }), body: AskAnswer,
      response: { 200: Decision, ...problems(400, 401, 403, 404, 413, 415) },
    },
    handler: async (req) => decisionJson(await manager.execute({ type: 'qrexec.ask.answer', id: req.params.id, answer: req.body, by: req.caller })),
  });
}
