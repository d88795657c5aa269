import { sql } from 'kysely';
import { openPglite, PostgresEventStore } from '../src/index.ts';
import { describeEventStoreContract } from './contract.ts';
import { pgliteAsSuperuser } from './support/index.ts';

describeEventStoreContract('PGlite (embedded)', {
  canTamper: true,
  bulkScan: true,
  announcesAppends: true,
  async open() {
    const { db, pglite } = await openPglite();
    const store = new PostgresEventStore(db, { onClose: () => db.destroy() });
    await store.migrate();
    return {
      store,
      tamper: {
        eventsTable: 'eventstore.events',
        streamsTable: 'eventstore.streams',
        asSuperuser: pgliteAsSuperuser(pglite),
        async query(statement) {
          await sql.raw(statement).execute(db);
        },
      },
    };
  },
});
