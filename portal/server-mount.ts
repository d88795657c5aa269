// Serves the portal from the API's Fastify instance: the single-process default.
//
//   import { portal } from '@concord/portal/server-mount';
//   await app.register(portal);
//
// Every path outside /api goes to SvelteKit (adapter-node's `build/handler.js`: static assets,
// then server-side rendering); /api paths the API doesn't know get the API's own 404.
// Standalone at scale the same build runs as its own process: `node portal/build/index.js` with
// CONCORD_PORTAL_PORT / CONCORD_PORTAL_ORIGIN and API_URL (see docs/adr/0006-portal.md).
import { existsSync } from 'node:fs';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import type { FastifyPluginAsync, LogLevel } from 'fastify';

/** adapter-node's handler: Node (Connect/Polka-style) middleware. */
export type NodeHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  next?: (error?: unknown) => void,
) => void;

export const portalDir = dirname(fileURLToPath(import.meta.url));
export const defaultBuildDir = join(portalDir, 'build');

/**
 * Headers through which the mount tells SvelteKit the request's protocol, host and client address,
 * as Fastify resolved them (honouring its `trustProxy`). The mount always overwrites them, so a
 * client can't spoof them. adapter-node would otherwise assume https and reject plain-http forms.
 */
const forwarded = {
  proto: 'x-concord-portal-proto',
  host: 'x-concord-portal-host',
  address: 'x-concord-portal-client',
} as const;

/**
 * The API's per-process secret (services/api/src/auth/client-address.ts), handed to SvelteKit on each
 * request so its server-side calls to the API can prove they come from this mounted portal: only then
 * does the API believe the browser address they forward. Always overwritten (or removed), never a
 * client's.
 */
const FORWARDING_HEADER = 'x-concord-forwarding';

/** The API server this portal is mounted on decorates itself with the secret (buildServer). */
function forwardingSecret(app: object): string | undefined {
  const forwarding = (app as { portalForwarding?: { secret?: unknown } }).portalForwarding;
  return typeof forwarding?.secret === 'string' ? forwarding.secret : undefined;
}

/** The largest form the mounted portal reads: a few documents, each up to the API's 10 MB default. */
export const PORTAL_BODY_SIZE_LIMIT = '25M';

/** Imports the built handler; throws a clear error when the portal hasn't been built. */
export async function loadPortalHandler(buildDir: string = defaultBuildDir): Promise<NodeHandler> {
  const entry = join(buildDir, 'handler.js');
  if (!existsSync(entry)) {
    throw new Error(
      `The portal is not built (${entry} is missing): run \`npx pnpm@12.21.0 --filter @concord/portal build\``,
    );
  }
  // adapter-node reads its settings once, when imported (envPrefix CONCORD_PORTAL_, see svelte.config.js).
  process.env.CONCORD_PORTAL_PROTOCOL_HEADER ??= forwarded.proto;
  process.env.CONCORD_PORTAL_HOST_HEADER ??= forwarded.host;
  process.env.CONCORD_PORTAL_ADDRESS_HEADER ??= forwarded.address;
  // Forms carry documents (receipts photographed on a phone): adapter-node's 512 kB default is too small.
  process.env.CONCORD_PORTAL_BODY_SIZE_LIMIT ??= PORTAL_BODY_SIZE_LIMIT;
  const module = (await import(pathToFileURL(entry).href)) as { handler: NodeHandler };
  return module.handler;
}

export interface PortalMountOptions {
  /** Where the adapter-node build is (default `portal/build`). */
  buildDir?: string;
  /** A handler to use instead of importing the build (tests). */
  handler?: NodeHandler;
  /** Paths under this prefix are the API's, never the portal's (default `/api`). */
  apiPrefix?: string;
  /** Log level for portal requests (default `warn`: page and asset requests don't flood the API's log). */
  logLevel?: LogLevel;
}

/**
 * Fastify plugin. Register it WITHOUT fastify-plugin: its content-type parser change must stay inside
 * its own encapsulation context, so SvelteKit reads form bodies itself while the API keeps its JSON parser.
 */
export const portal: FastifyPluginAsync<PortalMountOptions> = async (app, options) => {
  const handler = options.handler ?? (await loadPortalHandler(options.buildDir));
  const apiPrefix = options.apiPrefix ?? '/api';
  const isApiPath = (url: string) =>
    url === apiPrefix || url.startsWith(`${apiPrefix}/`) || url.startsWith(`${apiPrefix}?`);

  const secret = forwardingSecret(app);

  app.removeAllContentTypeParsers();
  app.addContentTypeParser('*', (_request, _payload, done) => done(null));

  app.route({
    method: ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE', 'OPTIONS'],
    url: '/*',
    // The portal's pages are not part of the API: kept out of /api/openapi.json.
    schema: { hide: true },
    logLevel: options.logLevel ?? 'warn',
    handler: (request, reply) => {
      if (isApiPath(request.url)) return reply.callNotFound();
      const raw = request.raw;
      raw.headers[forwarded.proto] = request.protocol;
      raw.headers[forwarded.host] = request.host;
      raw.headers[forwarded.address] = request.ip;
      if (secret) raw.headers[FORWARDING_HEADER] = secret;
      else delete raw.headers[FORWARDING_HEADER];
      reply.hijack();
      handler(raw, reply.raw, (error) => {
        const res = reply.raw;
        if (error) request.log.error({ err: error }, 'portal handler failed');
        if (res.headersSent) return void res.end();
        res.statusCode = error ? 500 : 404;
        res.setHeader('content-type', 'text/plain; charset=utf-8');
        res.end(error ? 'Internal Server Error' : 'Not Found');
      });
    },
  });
};

export default portal;
