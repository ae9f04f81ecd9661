/** /api/v1/vms/{name}/tags and /features. */
import { z } from 'zod';
import type { Manager } from '../../vmm/manager.js';
import { problems } from '../schemas/problem.js';
import { Feature, FeatureMap, FeatureParams, FeatureSet, TagList, TagParams } from '../schemas/tags-features.js';
import { VmNameParam } from '../schemas/vm.js';
import { onVm } from '../admin-check.js';
import type { ZodApp } from './types.js';

const tagArg = (req: { params: unknown }) => `+${(req.params as { tag: string }).tag}`;
const featureArg = (req: { params: unknown }) => `+${(req.params as { feature: string }).feature}`;

export function tagRoutes(app: ZodApp, manager: Manager): void {
  app.get('/api/v1/vms/:name/tags', {
    config: { admin: onVm('admin.vm.tag.List') },
    schema: {
      operationId: 'listTags',
      tags: ['tags'],
      summary: 'List the tags of a VM (admin.vm.tag.List)',
      params: VmNameParam,
      response: { 200: TagList, ...problems(400, 401, 404) },
    },
    handler: async (req) => ({ tags: await manager.execute({ type: 'vm.tag.list', name: req.params.name }) }),
  });

  app.put('/api/v1/vms/:name/tags/:tag', {
    config: { admin: onVm('admin.vm.tag.Set', tagArg) },
    schema: {
      operationId: 'addTag',
      tags: ['tags'],
      summary: 'Add a tag (admin.vm.tag.Set); adding a present tag changes nothing',
      params: TagParams,
      response: { 204: z.undefined().describe('The VM has the tag'), ...problems(400, 401, 404) },
    },
    handler: async (req, reply) => {
      await manager.execute({ type: 'vm.tag.add', name: req.params.name, tag: req.params.tag });
      return reply.code(204).send();
    },
  });

  app.delete('/api/v1/vms/:name/tags/:tag', {
    config: { admin: onVm('admin.vm.tag.Remove', tagArg) },
    schema: {
      operationId: 'removeTag',
      tags: ['tags'],
      summary: 'Remove a tag (admin.vm.tag.Remove)',
      params: TagParams,
      response: { 204: z.undefined().describe('Removed'), ...problems(400, 401, 404) },
    },
    handler: async (req, reply) => {
      await manager.execute({ type: 'vm.tag.remove', name: req.params.name, tag: req.params.tag });
      return reply.code(204).send();
    },
  });
}

export function featureRoutes(app: ZodApp, manager: Manager): void {
  app.get('/api/v1/vms/:name/features', {
    config: { admin: onVm('admin.vm.feature.List') },
    schema: {
      operationId: 'listFeatures',
      tags: ['features'],
      summary: 'List the features of a VM (admin.vm.feature.List)',
      params: VmNameParam,
      response: { 200: FeatureMap, ...problems(400, 401, 404) },
    },
    handler: async (req) => ({ features: await manager.execute({ type: 'vm.feature.list', name: req.params.name }) }),
  });

  app.get('/api/v1/vms/:name/features/:feature', {
    config: { admin: onVm('admin.vm.feature.Get', featureArg) },
    schema: {
      operationId: 'getFeature',
      tags: ['features'],
      summary: 'Get one feature (admin.vm.feature.Get)',
      params: FeatureParams,
      response: { 200: Feature, ...problems(400, 401, 404) },
    },
    handler: async (req) => ({
      name: req.params.feature,
      value: await manager.execute({ type: 'vm.feature.get', name: req.params.name, feature: req.params.feature }),
    }),
  });

  app.put('/api/v1/vms/:name/features/:feature', {
    config: { admin: onVm('admin.vm.feature.Set', featureArg) },
    schema: {
      operationId: 'setFeature',
      tags: ['features'],
      summary: 'Set a feature (admin.vm.feature.Set)',
      params: FeatureParams,
      body: FeatureSet,
      response: { 200: Feature, ...problems(400, 401, 404, 413, 415) },
    },
    handler: async (req) => {
      const { name, feature } = req.params;
      await manager.execute({ type: 'vm.feature.set', name, feature, value: req.body.value });
      return { name: feature, value: req.body.value };
    },
  });

  app.delete('/api/v1/vms/:name/features/:feature', {
    config: { admin: onVm('admin.vm.feature.Remove', featureArg) },
    schema: {
      operationId: 'deleteFeature',
      tags: ['features'],
      summary: 'Remove a feature (admin.vm.feature.Remove)',
      params: FeatureParams,
      response: { 204: z.undefined().describe('Removed'), ...problems(400, 401, 404) },
    },
    handler: async (req, reply) => {
      await manager.execute({ type: 'vm.feature.delete', name: req.params.name, feature: req.params.feature });
      return reply.code(204).send();
    },
  });
}
