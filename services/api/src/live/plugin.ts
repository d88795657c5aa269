import { problemSchema, routes } from '@concord/contracts';
import websocket from '@fastify/websocket';
import type { FastifyInstance, FastifyRequest } from 'fastify';
import fp from 'fastify-plugin';
import { z } from 'zod';
import type { Principal } from '../auth/service.ts';
import { ProblemError } from '../errors.ts';
import { checkAccess } from '../routing.ts';
import { LiveFeed, type LiveOptions } from './feed.ts';
import { followerSource, projectorSource } from './source.ts';

export interface LivePluginOptions {
  /** The feed's limits and timers (tests shorten them). */
  options?: Partial<LiveOptions>;
  /** Where people reach Concord: a browser page from this origin (or the request's own) may connect. */
  publicUrl: string;
}

/**
 * The live feed (`live`: null when this server has no read models, and the route then answers 503) and
 * `GET /api/live`: the access check runs in `onRequest`, before the upgrade, so an anonymous or role-less
 * request is refused with its 401/403 problem and never becomes a WebSocket. A browser page from another
 * origin is refused too (the session cookie would otherwise let any site read the feed). A plain GET
 * answers 426.
 */
export const livePlugin = fp(
  async (app: FastifyInstance, options: LivePluginOptions) => {
    const { readSide, eventStore: store } = app;
    const feed = readSide
      ? new LiveFeed({
          source: readSide.projecting
            ? projectorSource(readSide, store, { logger: app.log })
            : followerSource({ readSide, store, logger: app.log }),
          models: () => readSide.models,
          auth: app.auth,
          metrics: app.metrics,
          logger: app.log,
          options: options.options,
        })
      : null;
    app.decorate('live', feed);
    app.addHook('onReady', async () => feed?.start());
    app.addHook('onClose', async () => feed?.stop());
    const publicOrigin = new URL(options.publicUrl).origin;
    await app.register(websocket, {
      // Clients send only `resume` and `ping`: a few bytes.
      options: { maxPayload: 4096, perMessageDeflate: false },
      preClose(done) {
        void feed?.stop().finally(() => app.websocketServer.close(() => done()));
      },
    });

    const contract = routes.live;
    const sameOrigin = (request: FastifyRequest) => {
      const origin = request.headers.origin;
      return (
        origin === undefined || origin === publicOrigin || origin === `${request.protocol}://${request.host}`
      );
    };
    app.route({
      method: 'GET',
      url: contract.path,
      config: { routeId: 'live' },
      schema: {
        summary: contract.summary,
        description: contract.description,
        tags: [contract.tag],
        operationId: 'live',
        hide: contract.hidden,
        security: [{ session: [] }],
        response: {
          101: z.null().describe('Switching Protocols: the WebSocket is open'),
          '4XX': problemSchema,
          '5XX': problemSchema,
        },
      },
      onRequest: async (request) => {
        checkAccess(contract.access, request.principal);
        if (!feed) throw new ProblemError('NOT_READY', { detail: 'This server has no read models.' });
        if (!sameOrigin(request)) throw new ProblemError('ORIGIN_NOT_ALLOWED');
      },
      handler: async () => {
        throw new ProblemError('UPGRADE_REQUIRED');
      },
      wsHandler: (socket, request) => {
        // The access check passed in onRequest, so a principal with a role is there.
        (feed as LiveFeed).accept(socket, request.principal as Principal);
      },
    });
  },
  { name: 'concord-live', dependencies: ['concord-auth', 'concord-accounts', 'concord-read-side'] },
);

declare module 'fastify' {
  interface FastifyInstance {
    /** The live feed's sockets (null without read models). */
    live: LiveFeed | null;
  }
}
