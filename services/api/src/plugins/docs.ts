import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { registerRoute } from '../routing.ts';

/**
 * The API description, generated from the contract's zod schemas: `/api/openapi.json` and a browsable
 * page at `/api/docs`. Registered before the routes so it sees them all.
 */
export const docsPlugin = fp(async (app: FastifyInstance) => {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Concord API',
        version: '0.1.0',
        description:
          'Governance for coalitions that share one budget and decide by consensus. Every change is a command ' +
          'that the domain decides and records as immutable events. Errors are application/problem+json ' +
          'with a stable `code`. Commands accept an `Idempotency-Key` header.',
      },
      components: {
        securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'concord_session' } },
      },
    },
    transform: jsonSchemaTransform,
    transformObject: jsonSchemaTransformObject,
  });
  await app.register(swaggerUi, {
    routePrefix: '/api/docs',
    uiConfig: { docExpansion: 'list' },
    // swagger-ui's own policy (its scripts and styles by hash), but never framed and never upgrading
    // requests (which would break a plain-http install).
    staticCSP: true,
    transformStaticCSP: (header) =>
      header
        .replace("frame-ancestors 'self'", "frame-ancestors 'none'")
        .replace(/\s*upgrade-insecure-requests;?/, ''),
  });
  registerRoute(app, 'openapi', async () => ({ body: app.swagger() }));
});
