import { openPostgres, openPostgresEventStore, type PostgresEventStore } from '@concord/event-store';
import { createTestDatabase, type TestDatabase } from '@concord/event-store/testing';
import type { Kysely } from 'kysely';

export interface PostgresFixture {
  database: TestDatabase;
  store: PostgresEventStore;
  db: Kysely<unknown>;
  close(): Promise<void>;
}

/** A fresh database with an event store; appends there skip the WAL flush wait (test data only). */
export async function postgresFixture(prefix: string): Promise<PostgresFixture> {
  const database = await createTestDatabase(prefix);
  const store = await openPostgresEventStore(
    `${database.url}?options=${encodeURIComponent('-c synchronous_commit=off')}`,
  );
  const db = openPostgres(database.url, 4);
  return {
    database,
    store,
    db,
    async close() {
      await store.close();
      await db.destroy();
      await database.drop();
    },
  };
}
