/** The HTTP application: Fastify with zod schemas, OpenAPI, problem details, auth and the routes. */
import Fastify, { type FastifyBaseLogger, type FastifyInstance } from 'fastify';
import fastifySwagger from '@fastify/swagger';
import fastifySwaggerUi from '@fastify/swagger-ui';
import fastifyWebsocket from '@fastify/websocket';
import {
  jsonSchemaTransform,
  jsonSchemaTransformObject,
  validatorCompiler,
  type ZodTypeProvider,
} from 'fastify-type-provider-zod';
import type { Manager } from '../vmm/manager.js';
import { registerAdminCheck } from './admin-check.js';
import { clientErrorHandler } from './client-error.js';
import { registerAuth } from './auth.js';
import { registerJsonParser } from './json-body.js';
import { chooseProtocol } from './ws-protocol.js';
import { finishDocument } from './openapi-document.js';
import { PageCache } from './page-cache.js';
import { serializerCompiler } from './serializer.js';
import { problemFromError, problemOf, sendProblem } from './problem.js';
import { eventRoutes } from './routes/events.js';
import { imageRoutes } from './routes/images.js';
import { askRoutes, policyRoutes } from './routes/policy.js';
import { qrexecRoutes } from './routes/qrexec.js';
import { snapshotRoutes } from './routes/snapshots.js';
import { statsRoutes } from './routes/stats.js';
import { uiRoutes } from './routes/ui.js';
import { tokenRoutes } from './routes/tokens.js';
import { lifecycleRoutes } from './routes/lifecycle.js';
import { metricsRoutes } from './metrics.js';
import { systemRoutes } from './routes/system.js';
import { featureRoutes, tagRoutes } from './routes/tags-features.js';
import type { ZodApp } from './routes/types.js';
import { vmRoutes } from './routes/vms.js';
import { cloneRoutes } from './routes/clone.js';
import { CELLA_VERSION } from '../vmm/version.js';

/** Largest request body accepted: 64 KiB, as qubesd's request buffer. */
export const BODY_LIMIT = 64 * 1024;

export interface AppOptions {
  manager: Manager;
  /** When set, every request needs `Authorization: Bearer <token>`. */
  token?: string;
  /** Fastify/pino logger options; false for none. */
  logger?: boolean | { level: string };
  /** A pino logger to use instead (the one the manager logs to, so that both write one stream). */
  loggerInstance?: FastifyBaseLogger;
  /** The built dashboard to serve at `/` (ui/dist when absent). */
  uiDir?: string;
  /** false leaves the app open for more hooks (tests); listen() makes it ready. */
  ready?: boolean;
}

export async function buildApp(options: AppOptions): Promise<FastifyInstance> {
  const app = Fastify({
    ...(options.loggerInstance ? { loggerInstance: options.loggerInstance } : { logger: options.logger ?? false }),
    bodyLimit: BODY_LIMIT,
    routerOptions: { ignoreTrailingSlash: true, maxParamLength: 1024 },
    clientErrorHandler,
    frameworkErrors: (err, request, reply) => sendProblem(reply, problemFromError(err, request), err),
  }).withTypeProvider<ZodTypeProvider>();
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const optionalBodies = registerJsonParser(app);
  // The websocket plugin's hooks go first: a refused upgrade (401, 400) must still end its socket.
  await app.register(fastifyWebsocket, { options: { maxPayload: BODY_LIMIT, handleProtocols: chooseProtocol } });
  registerAuth(app, options.manager, options.token);
  registerAdminCheck(app, options.manager);
  app.setErrorHandler((err, request, reply) => sendProblem(reply, problemFromError(err, request), err));
  app.setNotFoundHandler((request, reply) =>
    sendProblem(reply, problemOf('ROUTE_NOT_FOUND', `no route ${request.method} ${request.url.split('?')[0]}`)),
  );

  await app.register(fastifySwagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Cella',
        version: CELLA_VERSION,
        description:
          'Manage VMs of the Cella microhypervisor model: VM definitions, properties, tags, features and events, named as in ' +
          'the Qubes Admin API. Errors are RFC 9457 problem details with a stable `code`. Request bodies are JSON, at most ' +
          `${BODY_LIMIT} bytes, valid UTF-8; unknown fields are refused.`,
      },
      servers: [{ url: 'http://127.0.0.1:7440', description: 'The manager at its default address (CELLA_HOST, CELLA_PORT)' }],
      components: { securitySchemes: { bearer: { type: 'http', scheme: 'bearer', description: 'CELLA_TOKEN, when the manager has one' } } },
      security: [{ bearer: [] }],
      tags: [
        { name: 'vms', description: 'VM definitions and properties' },
        { name: 'tags', description: 'VM tags' },
        { name: 'features', description: 'VM features' },
        { name: 'lifecycle', description: 'Start, pause, shut down and kill VMs; console and stats' },
        { name: 'images', description: 'Guest images VMs boot' },
        { name: 'qrexec', description: 'qrexec calls from dom0 into VMs' },
        { name: 'snapshots', description: 'Suspend VMs to files and resume them' },
        { name: 'events', description: 'Event history and stream' },
        { name: 'policy', description: 'qrexec policy files, dry-run evaluation and pending questions' },
        { name: 'tokens', description: 'API tokens bound to management VMs (dom0 only)' },
        { name: 'system', description: 'Health and catalogues' },
      ],
    },
    transform: jsonSchemaTransform,
    transformObject: (input) => finishDocument(jsonSchemaTransformObject(input), optionalBodies),
  });
  await app.register(fastifySwaggerUi, { routePrefix: '/docs' });

  const api = app as unknown as ZodApp;
  api.get('/openapi.json', { schema: { hide: true }, config: { public: true } }, async () => app.swagger());
  systemRoutes(api, CELLA_VERSION);
  const pages = new PageCache();
  vmRoutes(api, options.manager, pages);
  cloneRoutes(api, options.manager);
  tagRoutes(api, options.manager);
  featureRoutes(api, options.manager);
  lifecycleRoutes(api, options.manager);
  statsRoutes(api, options.manager);
  imageRoutes(api, options.manager);
  qrexecRoutes(api, options.manager);
  snapshotRoutes(api, options.manager);
  eventRoutes(api, options.manager, pages);
  policyRoutes(api, options.manager);
  askRoutes(api, options.manager);
  tokenRoutes(api, options.manager);
  metricsRoutes(api, options.manager);
  uiRoutes(api, options.uiDir);
  if (options.ready !== false) await app.ready();
  return app;
}
