import { afterAll, describe, it } from 'vitest';
import { openPostgresEventStore } from '../src/index.ts';
import { describeEventStoreContract } from './contract.ts';
import {
  createTestDatabase,
  postgresAsSuperuser,
  postgresAvailable,
  type TestDatabase,
  withClient,
} from './support/index.ts';

if (!postgresAvailable) {
  console.warn('[event-store] PostgreSQL contract suite SKIPPED: no PostgreSQL server reachable.');
  describe.skip('event store contract: PostgreSQL — SKIPPED: no PostgreSQL server reachable', () => {
    it('skipped', () => {});
  });
} else {
  let database: TestDatabase | undefined;
  afterAll(async () => {
    await database?.drop();
  });
  describeEventStoreContract('PostgreSQL (pg)', {
    canTamper: true,
    bulkScan: true,
    announcesAppends: true,
    async open() {
      database = await createTestDatabase();
      const url = database.url;
      const store = await openPostgresEventStore(url);
      const run = async (text: string) => {
        await withClient(url, (client) => client.query(text));
      };
      return {
        store,
        tamper: {
          eventsTable: 'eventstore.events',
          streamsTable: 'eventstore.streams',
          asSuperuser: postgresAsSuperuser(url),
          query: run,
        },
      };
    },
  });
}
