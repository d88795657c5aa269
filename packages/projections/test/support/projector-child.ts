/**
 * The projector as its own process, for the kill test: catches up with the store at DATABASE_URL, then
 * exits 0. The parent SIGKILLs it at random moments and starts it again.
 */
import { openPostgres, openPostgresEventStore } from '@concord/event-store';
import { Projector } from '../../src/index.ts';

const [url, schema, batchSize] = process.argv.slice(2);
if (!url || !schema) {
  console.error('usage: projector-child.ts <database url> <schema> [batch size]');
  process.exit(2);
}
const store = await openPostgresEventStore(url, { poolSize: 2 });
const db = openPostgres(url, 2);
const projector = new Projector({ db, store, schema, batchSize: Number(batchSize ?? 500) });
await projector.start();
await projector.stop();
await store.close();
await db.destroy();
process.exit(0);
