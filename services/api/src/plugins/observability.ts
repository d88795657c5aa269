import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import { sql } from 'kysely';
import { ProblemError } from '../errors.ts';
import { registerRoute } from '../routing.ts';

const CORRELATION_ID = /^[\x21-\x7e]{1,200}$/;

export interface ObservabilityOptions {
  /** Extra readiness checks (process steps running …), each answering true when healthy. */
  readiness?: () => Record<string, boolean>;
}

/**
 * Request and correlation ids on every log line and response, Prometheus metrics, and the health
 * routes: `/health` (kept for older probes), `/health/live`, `/health/ready`, `/metrics`.
 */
export const observabilityPlugin = fp(
  async (app: FastifyInstance, options: ObservabilityOptions) => {
    app.decorateRequest('correlationId', '');

    app.addHook('onRequest', async (request, reply) => {
      const header = request.headers['x-correlation-id'];
      request.correlationId = typeof header === 'string' && CORRELATION_ID.test(header) ? header : request.id;
      if (request.correlationId !== request.id)
        request.log = request.log.child({ correlationId: request.correlationId });
      reply.header('x-request-id', request.id);
      reply.header('x-correlation-id', request.correlationId);
    });

    app.addHook('onResponse', async (request, reply) => {
      const { metrics } = app;
      const route = request.routeOptions.url ?? 'unmatched';
      metrics.httpRequests.inc({ method: request.method, route, status: String(reply.statusCode) });
      metrics.httpDuration.observe({ method: request.method, route }, reply.elapsedTime / 1000);
    });

    registerRoute(app, 'health', async () => ({
      body: { status: 'ok', eventStore: { head: await app.eventStore.head() } },
    }));

    registerRoute(app, 'healthLive', async () => ({ body: { status: 'ok' } }));

    registerRoute(app, 'healthReady', async () => {
      const checks: Record<string, boolean> = {};
      try {
        await sql`select 1`.execute(app.database);
        await app.eventStore.head();
        checks.database = true;
      } catch {
        checks.database = false;
      }
      if (app.readSide) checks.projector = app.readSide.running();
      Object.assign(checks, options.readiness?.() ?? {});
      const ready = Object.values(checks).every(Boolean);
      if (!ready) throw new ProblemError('NOT_READY', { details: { checks } });
      return { body: { status: 'ready', checks } };
    });

    registerRoute(app, 'metrics', async ({ reply }) => {
      const { metrics, eventStore: store, readSide } = app;
      const head = await store.head();
      metrics.storeHead.set(head);
      if (readSide) {
        const position = await readSide.position();
        metrics.projectorPosition.set(position);
        let lag = 0;
        if (position < head) {
          const [next] = await store.readAll({ after: position, limit: 1 });
          if (next) lag = Math.max(0, (app.clock().getTime() - next.recordedAt.getTime()) / 1000);
        }
        metrics.projectorLag.set(lag);
      }
      reply.header('content-type', metrics.registry.contentType);
      return { body: await metrics.registry.metrics() };
    });
  },
  { name: 'concord-observability', dependencies: ['concord-foundation', 'concord-read-side'] },
);
