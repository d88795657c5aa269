import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import {
  type DataFolderLock,
  DataFolderLockedError,
  type EventStore,
  eventStoreKind,
  lockDataFolder,
  openEventStoreUrl,
  openPglite,
  openPostgres,
  PostgresEventStore,
} from '@concord/event-store';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { reason, unavailable } from './errors.ts';

/** Where the CLI finds the events and the read models. */
export interface Target {
  store: EventStore;
  /** The database holding the read models. */
  db: Kysely<unknown>;
  /** What to name in messages (never a password). */
  description: string;
  close(): Promise<void>;
}

function redact(url: string): string {
  try {
    const parsed = new URL(url);
    if (parsed.password) parsed.password = '***';
    return parsed.toString();
  } catch {
    return '(unparsable URL)';
  }
}

async function reachable(db: Kysely<unknown>, description: string): Promise<void> {
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    await db.destroy().catch(() => {});
    throw unavailable(`cannot reach ${description}: ${reason(error)}`);
  }
}

/**
 * Opens the embedded data directory (`DATA_DIR`, default ./data: PGlite files in `<DATA_DIR>/pg`), or
 * `DATABASE_URL` (read models, and events unless `EVENTSTORE_URL` is set) and `EVENTSTORE_URL`.
 * `create`: an absent data directory is created (only `generate` writes to a new one).
 */
export async function openTarget(
  env: NodeJS.ProcessEnv,
  { create = false, command = 'concord' }: { create?: boolean; command?: string } = {},
): Promise<Target> {
  const databaseUrl = env.DATABASE_URL || undefined;
  const eventStoreUrl = env.EVENTSTORE_URL || undefined;
  if (eventStoreUrl && !eventStoreKind(eventStoreUrl)) {
    throw unavailable(
      `EVENTSTORE_URL ${redact(eventStoreUrl)}: must start with postgres://, esdb:// or kurrentdb://`,
    );
  }
  if (databaseUrl && eventStoreKind(databaseUrl) !== 'postgres')
    throw unavailable(`DATABASE_URL must be a postgres:// URL`);
  // The read models: DATABASE_URL, else a PostgreSQL event store's database, else the data directory.
  const readUrl =
    databaseUrl ??
    (eventStoreUrl && eventStoreKind(eventStoreUrl) === 'postgres' ? eventStoreUrl : undefined);
  if (eventStoreUrl && eventStoreUrl !== readUrl) {
    const where = `the event store at ${redact(eventStoreUrl)}`;
    const store = await openEventStoreUrl(eventStoreUrl).catch((error: unknown) => {
      throw unavailable(`cannot reach ${where}: ${reason(error)}`);
    });
    let readSide: Awaited<ReturnType<typeof openReadDatabase>>;
    try {
      await reachableStore(store, where);
      readSide = readUrl
        ? await openReadDatabase(readUrl)
        : await openDataDirectory(env, create, false, command);
    } catch (error) {
      await store.close().catch(() => {});
      throw error;
    }
    return {
      store,
      db: readSide.db,
      description: redact(eventStoreUrl),
      async close() {
        await store.close();
        await readSide.close();
      },
    };
  }
  if (readUrl) {
    const { db, close } = await openReadDatabase(readUrl);
    const store = await migratedStore(db, close);
    return {
      store,
      db,
      description: redact(readUrl),
      async close() {
        await store.close();
        await close();
      },
    };
  }
  const { db, close, description } = await openDataDirectory(env, create, true, command);
  const store = await migratedStore(db, close);
  return {
    store,
    db,
    description,
    async close() {
      await store.close();
      await close();
    },
  };
}

/**
 * The event store in `db`'s `eventstore` schema, migrated; if that fails, the database is closed (and the
 * data folder's lock released) before the error goes on, so a later run in the same process can open it.
 */
async function migratedStore(db: Kysely<unknown>, close: () => Promise<void>): Promise<PostgresEventStore> {
  const store = new PostgresEventStore(db, { schema: 'eventstore' });
  try {
    await store.migrate();
  } catch (error) {
    await store.close().catch(() => {});
    await close().catch(() => {});
    throw error;
  }
  return store;
}

async function openReadDatabase(url: string) {
  const db = openPostgres(url, 4);
  await reachable(db, `the database at ${redact(url)}`);
  return { db, description: redact(url), close: () => db.destroy() };
}

/** A store that does not answer (or refuses) `head()` is unavailable, with the reason. */
async function reachableStore(store: EventStore, what: string): Promise<void> {
  try {
    await store.head();
  } catch (error) {
    throw unavailable(`cannot reach ${what}: ${reason(error)}`);
  }
}

/**
 * The embedded data directory (`DATA_DIR`, default ./data: PGlite files in `<DATA_DIR>/pg`). `required`:
 * an absent directory is an error (unless `create`); otherwise (read models beside a separate event store)
 * an absent one is kept in memory.
 */
async function openDataDirectory(
  env: NodeJS.ProcessEnv,
  create: boolean,
  required: boolean,
  command: string,
) {
  const dataDir = resolve(env.DATA_DIR ?? './data');
  const pgDir = join(dataDir, 'pg');
  const exists = existsSync(pgDir);
  if (required && !create && !exists) {
    throw unavailable(
      `no Concord data in ${dataDir} (set DATA_DIR, or DATABASE_URL for a PostgreSQL server)`,
    );
  }
  const where = exists || create ? pgDir : undefined;
  // One owner per data folder (ADR 0010): a running server owns it, and the CLI goes through the server.
  const lock = where ? lockFolder(dataDir, command) : undefined;
  let opened: Awaited<ReturnType<typeof openPglite>>;
  try {
    opened = await openPglite(where);
  } catch (error) {
    lock?.release();
    throw unavailable(`cannot open the embedded database in ${pgDir}: ${(error as Error).message}`);
  }
  return {
    db: opened.db,
    description: where ?? 'memory',
    close: async () => {
      await opened.db.destroy().catch(() => {});
      // Kysely closes PGlite only if it ever connected: a run that failed before its first query would
      // leave the database open, and a later run in the same process (the tests) could not open the folder.
      if (!opened.pglite.closed) await opened.pglite.close().catch(() => {});
      lock?.release();
    },
  };
}

/** Takes the data folder's lock, or says who holds it and what to do instead. */
export function lockFolder(dataDir: string, command: string): DataFolderLock {
  try {
    return lockDataFolder(dataDir, { role: command });
  } catch (error) {
    if (!(error instanceof DataFolderLockedError)) throw error;
    throw unavailable(inUseAdvice(error));
  }
}

/** The refusal for a data folder another process holds, with what to do instead. */
export function inUseAdvice(error: DataFolderLockedError): string {
  const url = error.owner?.role === 'server' ? (error.owner.url ?? 'http://localhost:3000') : undefined;
  if (!url) return `${error.message}; wait for it to finish, then try again`;
  return (
    `${error.message}. While it runs, go through it: \`concord backup FILE --url ${url}\` ` +
    `(CONCORD_EMAIL and CONCORD_PASSWORD of a facilitator), or, signed in as an auditor or facilitator, ` +
    `${url}/api/audit/verification and ${url}/api/export?format=jsonl; or stop the server first`
  );
}
