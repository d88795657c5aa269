import { sql } from 'kysely';
import { openPglite, PostgresEventStore } from '../src/index.ts';
import { describeEventStoreContract } from './contract.ts';

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
        // PGlite's one user is a superuser: lifting the guard is what a malicious operator would do.
        async asSuperuser(statements) {
          await pglite.exec(`BEGIN; SET LOCAL session_replication_role = replica; ${statements}; COMMIT;`);
        },
        async query(statement) {
          await sql.raw(statement).execute(db);
        },
      },
    };
  },
});
