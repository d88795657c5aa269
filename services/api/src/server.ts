import type { EventStore } from '@concord/event-store';
import Fastify, { type FastifyInstance } from 'fastify';

export interface ServerDependencies {
  store: EventStore;
  logLevel?: string;
}

/** The HTTP server: for now, health; the API routes register here as they arrive. */
export async function buildServer({
  store,
  logLevel = 'info',
}: ServerDependencies): Promise<FastifyInstance> {
  const app = Fastify({ logger: { level: logLevel } });
  app.get('/health', async () => ({ status: 'ok', eventStore: { head: await store.head() } }));
  return app;
}
