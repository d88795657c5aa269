import type { EventStore } from '@concord/event-store';
import type { FastifyInstance } from 'fastify';
import fp from 'fastify-plugin';
import type { Kysely } from 'kysely';
import { type ApiDb, migrateApiTables } from '../db.ts';
import { createMetrics, type Metrics } from '../metrics.ts';

export interface FoundationOptions {
  store: EventStore;
  db: Kysely<unknown>;
  clock: () => Date;
}

/**
 * What everything else stands on, given to the server rather than made by it: the event store, the one
 * database (with the API's own tables migrated), the clock, and the metrics registry.
 */
export const foundationPlugin = fp(
  async (app: FastifyInstance, options: FoundationOptions) => {
    await migrateApiTables(options.db);
    app.decorate('eventStore', options.store);
    app.decorate('database', options.db);
    app.decorate('apiDb', options.db as unknown as ApiDb);
    app.decorate('clock', options.clock);
    app.decorate('metrics', createMetrics());
  },
  { name: 'concord-foundation' },
);

declare module 'fastify' {
  interface FastifyInstance {
    /** The event store: PostgreSQL, PGlite or EventStoreDB/KurrentDB. */
    eventStore: EventStore;
    /** The one Kysely instance on the one database (PGlite or PostgreSQL): read models and API tables. */
    database: Kysely<unknown>;
    /** The same database, typed for the API's own tables (auth, idempotency, checkpoints …). */
    apiDb: ApiDb;
    /** The server's clock (tests and the demo seed pass their own). */
    clock: () => Date;
    metrics: Metrics;
  }
}
