import { join } from 'node:path';
import { openPgliteEventStore, openPostgresEventStore } from '@concord/event-store';
import { loadConfig } from './config.ts';
import { buildServer } from './server.ts';

const config = loadConfig();
const store = config.databaseUrl
  ? await openPostgresEventStore(config.databaseUrl)
  : await openPgliteEventStore(join(config.dataDir, 'pg'));
const app = await buildServer({ store, logLevel: config.logLevel });

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, 'shutting down');
  await app.close();
  await store.close();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

await app.listen({ port: config.port, host: config.host });
app.log.info(
  {
    dataDir: config.databaseUrl ? undefined : config.dataDir,
    database: config.databaseUrl ? 'postgresql' : 'pglite',
  },
  'Concord is running',
);
