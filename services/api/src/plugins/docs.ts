import { type RouteContract, routes } from '@concord/contracts';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { jsonSchemaTransform, jsonSchemaTransformObject } from 'fastify-type-provider-zod';
import { registerRoute } from '../routing.ts';

type OpenApiDocument = ReturnType<typeof jsonSchemaTransformObject>;

/**
 * The document without component schemas nothing refers to: every schema with an id is generated twice
 * (as input and as output), and a request body is written out in its operation, so most input copies
 * are never referred to.
 */
function withoutUnusedSchemas(generated: OpenApiDocument): OpenApiDocument {
  // Swagger 2 has no `components`; this document is OpenAPI 3.1.
  const document = generated as { components?: { schemas?: Record<string, unknown> } };
  const schemas = document.components?.schemas;
  if (!schemas) return generated;
  const refersTo = (value: unknown) =>
    [...JSON.stringify(value).matchAll(/"#\/components\/schemas\/([^"]+)"/g)].map((match) => match[1]!);
  const used = new Set<string>();
  const pending = refersTo({ ...document, components: { ...document.components, schemas: {} } });
  while (pending.length > 0) {
    const name = pending.pop()!;
    if (used.has(name) || !(name in schemas)) continue;
    used.add(name);
    pending.push(...refersTo(schemas[name]));
  }
  return {
    ...document,
    components: {
      ...document.components,
      schemas: Object.fromEntries(Object.entries(schemas).filter(([name]) => used.has(name))),
    },
  } as OpenApiDocument;
}

/**
 * Upload routes take raw bytes, which no zod schema describes: their request body is written here from the
 * contract's `rawBody` (its media types, each binary).
 */
function withRawBodies(generated: OpenApiDocument): OpenApiDocument {
  const document = generated as { paths?: Record<string, Record<string, Record<string, unknown>>> };
  for (const contract of Object.values(routes) as RouteContract[]) {
    if (!contract.rawBody) continue;
    const path = contract.path.replace(/:(\w+)/g, '{$1}');
    const operation = document.paths?.[path]?.[contract.method.toLowerCase()];
    if (!operation) continue;
    operation.requestBody = {
      required: true,
      description: contract.rawBody.description,
      content: Object.fromEntries(
        contract.rawBody.mediaTypes.map((type) => [type, { schema: { type: 'string', format: 'binary' } }]),
      ),
    };
  }
  return generated;
}

/**
 * The API description, generated from the contract's zod schemas: `/api/openapi.json` and a browsable
 * page at `/api/docs`. Registered before the routes so it sees them all.
 */
export const docsPlugin = fp(
  async (app: FastifyInstance) => {
    await app.register(swagger, {
      openapi: {
        openapi: '3.1.0',
        info: {
          title: 'Concord API',
          version: '0.1.0',
          description:
            'Governance for coalitions that share one budget and decide by consensus. Every change is a command ' +
            'that the domain decides and records as immutable events. Errors are application/problem+json ' +
            'with a stable `code`. Commands accept an `Idempotency-Key` header. The live feed is a WebSocket at ' +
            '`/api/live` (with the session cookie; messages `LiveClientMessage` and `LiveServerMessage` in the ' +
            'contracts package), outside this document.',
          license: { name: 'AGPL-3.0-or-later', identifier: 'AGPL-3.0-or-later' },
        },
        // Same origin: the portal and any client call the instance they were served from.
        servers: [{ url: '/', description: 'this Concord instance' }],
        components: {
          securitySchemes: { session: { type: 'apiKey', in: 'cookie', name: 'concord_session' } },
        },
      },
      transform: jsonSchemaTransform,
      transformObject: (document) => withRawBodies(withoutUnusedSchemas(jsonSchemaTransformObject(document))),
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
  },
  { name: 'concord-docs' },
);
