/** /api/v1/images: the guest images VMs boot. */
import { z } from 'zod';
import type { Manager } from '../../vmm/manager.js';
import { Image, ImageList, ImageNameParam, ImageUpload } from '../schemas/images.js';
import { problems } from '../schemas/problem.js';
import { global } from '../admin-check.js';
import type { ZodApp } from './types.js';

/** Uploads carry ELF programs: a larger body limit than the rest of the API. */
export const IMAGE_BODY_LIMIT = 16 * 1024 * 1024;

export function imageRoutes(app: ZodApp, manager: Manager): void {
  app.get('/api/v1/images', {
    config: { admin: global('admin.image.List') },
    schema: { operationId: 'listImages', tags: ['images'], summary: 'List guest images', response: { 200: ImageList, ...problems(401) } },
    handler: async () => ({ images: await manager.execute({ type: 'image.list' }) }),
  });

  app.get('/api/v1/images/:name', {
    config: { admin: global('admin.image.List', (req) => `+${(req.params as { name: string }).name}`) },
    schema: {
      operationId: 'getImage',
      tags: ['images'],
      summary: 'Get a guest image',
      params: ImageNameParam,
      response: { 200: Image, ...problems(400, 401, 404) },
    },
    handler: (req) => manager.execute({ type: 'image.get', name: req.params.name }),
  });

  app.post('/api/v1/images', {
    bodyLimit: IMAGE_BODY_LIMIT,
    config: { admin: global('admin.image.Upload') },
    schema: {
      operationId: 'uploadImage',
      tags: ['images'],
      summary: `Upload a guest image (programs as base64 ELF; body at most ${IMAGE_BODY_LIMIT} bytes); every ELF is validated`,
      body: ImageUpload,
      response: { 201: Image, ...problems(400, 401, 409, 413, 415, 422) },
    },
    handler: async (req, reply) => {
      const programs = Object.fromEntries(Object.entries(req.body.programs).map(([k, v]) => [k, new Uint8Array(Buffer.from(v, 'base64'))]));
      const image = await manager.execute({ type: 'image.add', upload: { name: req.body.name, kernel: req.body.kernel, programs, services: req.body.services } });
      return reply.code(201).header('location', `/api/v1/images/${encodeURIComponent(image.name)}`).send(image);
    },
  });

  app.delete('/api/v1/images/:name', {
    config: { admin: global('admin.image.Remove', (req) => `+${(req.params as { name: string }).name}`) },
    schema: {
      operationId: 'deleteImage',
      tags: ['images'],
      summary: 'Remove an uploaded image; refused while VMs boot it, and for built-in images',
      params: ImageNameParam,
      response: { 204: z.undefined().describe('Removed'), ...problems(400, 401, 404, 409) },
    },
    handler: async (req, reply) => {
      await manager.execute({ type: 'image.delete', name: req.params.name });
      return reply.code(204).send();
    },
  });
}
