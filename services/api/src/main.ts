import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import {
  DataFolderLockedError,
  type EventStore,
  eventStoreKind,
  lockDataFolder,
  openEventStoreUrl,
  openPglite,
  openPostgres,
  PostgresEventStore,
} from '@concord/event-store';
import { Ed25519Signer, loadOrCreateSigner, signerFromConfig } from '@concord/transparency';
import { type Kysely, sql } from 'kysely';
import { SETUP_LINK_FILE, setupBanner } from './auth/setup-link.ts';
import { loadConfig } from './config.ts';
import { formatDemoSummary, seedDemo } from './demo/seed.ts';
import { SmtpMailer } from './mail.ts';
import { buildServer } from './server.ts';

const config = loadConfig();
if (!config.projector && !config.databaseUrl) {
  console.error(
    'PROJECTOR=off without DATABASE_URL: nothing keeps this instance’s embedded read models current.',
  );
}
// One owner per data folder (ADR 0010): a second server, or the CLI, is refused at once.
if (!config.databaseUrl) {
  try {
    lockDataFolder(config.dataDir, { role: 'server', url: config.publicUrl });
  } catch (error) {
    if (!(error instanceof DataFolderLockedError)) throw error;
    console.error(
      `Concord cannot start: ${error.message}. Stop that server first, or give this one another DATA_DIR.`,
    );
    process.exit(1);
  }
}
// The read models and the API's own tables; the events too, unless EVENTSTORE_URL names another store.
const db: Kysely<unknown> = config.databaseUrl
  ? openPostgres(config.databaseUrl)
  : (await openPglite(join(config.dataDir, 'pg'))).db;
let store: EventStore;
if (config.eventStoreUrl) {
  store = await openEventStoreUrl(config.eventStoreUrl).catch((error: Error) => {
    console.error(`The event store could not be opened: ${error.message}`);
    process.exit(1);
  });
} else {
  const embedded = new PostgresEventStore(db);
  await embedded.migrate();
  store = embedded;
  // Events written before names left the history still hold them until the operator migrates them.
  const legacy = await sql<{ count: string | number }>`
    SELECT count(*) AS count FROM eventstore.events
     WHERE type = 'RepresentativeInvited' AND metadata->>'schemaVersion' = '1'`.execute(db);
  const count = Number(legacy.rows[0]?.count ?? 0);
  if (count > 0) {
    console.warn(
      `${count} stored events still hold people's names (written before December 2026). Stop the server and run: npx --yes pnpm@12.21.0 concord migrate-personal-data (docs/privacy.md)`,
    );
  }
}

const demo = config.demo
  ? await seedDemo({ store, db, publicUrl: config.publicUrl }).catch((error: unknown) => {
      console.error('The demo could not be seeded:', error);
      process.exit(1);
    })
  : null;

// The instance key signs the witnessed log's checkpoints: from configuration, or kept beside the data
// (created on first start). Only the primary (the instance running the projector) signs: a replica
// without a configured key gets a throwaway one that never signs, rather than a key file of its own.
let logSigner: ReturnType<typeof signerFromConfig>;
try {
  logSigner = config.log.privateKey
    ? signerFromConfig(config.log.privateKey, config.log.origin)
    : config.projector
      ? loadOrCreateSigner(join(config.dataDir, 'keys'), config.log.origin, {
          keepName: !config.log.originConfigured,
        })
      : Ed25519Signer.generate(config.log.origin);
} catch (error) {
  console.error(`Concord cannot start: the log key: ${(error as Error).message}`);
  process.exit(1);
}

const app = await buildServer({
  store,
  db,
  logLevel: config.logLevel,
  publicUrl: config.publicUrl,
  mailer: config.smtpUrl ? new SmtpMailer(config.smtpUrl, config.mailFrom) : undefined,
  processSteps: config.processSteps,
  projector: config.projector,
  trustProxy: config.trustProxy,
  backups: config.backups,
  attachmentMaxBytes: config.attachmentMaxBytes,
  transparency: { signer: logSigner, primary: config.projector },
});

// The portal on the same port: registered here (not in buildServer) so the API's tests need no portal
// build, and without fastify-plugin so its body parsing stays inside its own context.
if (config.portal) {
  try {
    const { portal } = await import('@concord/portal/server-mount');
    await app.register(portal);
  } catch (error) {
    app.log.warn({ err: error }, 'The portal is not served: only the API runs on this port');
  }
}

let closing = false;
async function shutdown(signal: string) {
  if (closing) return;
  closing = true;
  app.log.info({ signal }, 'shutting down');
  await app.close();
  await store.close();
  await db.destroy();
  process.exit(0);
}
process.on('SIGINT', () => void shutdown('SIGINT'));
process.on('SIGTERM', () => void shutdown('SIGTERM'));

await app.listen({ port: config.port, host: config.host });
app.log.info(
  {
    dataDir: config.databaseUrl ? undefined : config.dataDir,
    database: config.databaseUrl ? 'postgresql' : 'pglite',
    events: config.eventStoreUrl ? eventStoreKind(config.eventStoreUrl) : 'database',
    projector: config.projector,
    processSteps: config.processSteps,
    mail: config.smtpUrl ? 'smtp' : 'off',
  },
  'Concord is running',
);
if (!config.smtpUrl) {
  // Said at every start: nobody should wait for a mail this server will never send.
  app.log.info(
    'Mail is off (no SMTP_URL): notifications are listed in the portal only, and invitation links are handed to whoever invites',
  );
}
if (demo) {
  const text = formatDemoSummary(demo, config.publicUrl);
  if (!config.databaseUrl) {
    // Kept beside the data so the sign-ins are not lost with the terminal (readable by this user only);
    // written before it is printed, so whoever reads the summary finds the file there.
    writeFileSync(join(config.dataDir, 'demo-sign-in.txt'), `${text}\n`, { mode: 0o600 });
  }
  console.log(`\n${text}\n`);
} else if (config.demo) {
  app.log.info('--demo: the store is not empty, so nothing was seeded');
}
const setupLink = await app.auth.setupLinkIfNeeded();
if (setupLink) {
  // On stdout, framed: the one thing a person starting Concord for the first time must not miss.
  // Kept beside the data too (readable by this user only): `concord setup-link` shows it while the server
  // holds the folder. Written before it is printed, so whoever reads the banner finds the file there.
  if (!config.databaseUrl)
    writeFileSync(join(config.dataDir, SETUP_LINK_FILE), `${setupLink}\n`, { mode: 0o600 });
  console.log(`\n${setupBanner(setupLink, 'npx --yes pnpm@12.21.0 concord setup-link')}\n`);
  app.log.warn('No facilitator yet: the set-up link is printed above.');
}
