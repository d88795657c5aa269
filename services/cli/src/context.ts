import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { type EventStore, openPglite, openPostgres, PostgresEventStore } from '@concord/event-store';
import type { Kysely } from 'kysely';
import { sql } from 'kysely';
import { unavailable } from './errors.ts';

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

function isPostgresUrl(url: string): boolean {
  return /^postgres(ql)?:\/\//.test(url);
}

async function reachable(db: Kysely<unknown>, description: string): Promise<void> {
  try {
    await sql`select 1`.execute(db);
  } catch (error) {
    await db.destroy().catch(() => {});
    const { message, code } = error as { message?: string; code?: string };
    throw unavailable(`cannot reach ${description}: ${message || code || String(error)}`);
  }
}

/**
 * Opens the embedded data directory (`DATA_DIR`, default ./data: PGlite files in `<DATA_DIR>/pg`), or
 * `DATABASE_URL` (read models, and events unless `EVENTSTORE_URL` is set) and `EVENTSTORE_URL`.
 * `create`: an absent data directory is created (only `generate` writes to a new one).
 */
export async function openTarget(env: NodeJS.ProcessEnv, { create = false } = {}): Promise<Target> {
  const databaseUrl = env.DATABASE_URL || undefined;
  const eventStoreUrl = env.EVENTSTORE_URL || undefined;
  if (eventStoreUrl && !isPostgresUrl(eventStoreUrl)) {
    throw unavailable(
      `EVENTSTORE_URL ${redact(eventStoreUrl)}: only PostgreSQL event stores (postgres://…) are supported by this CLI so far`,
    );
  }
  if (databaseUrl && !isPostgresUrl(databaseUrl)) throw unavailable(`DATABASE_URL must be a postgres:// URL`);
  if (databaseUrl || eventStoreUrl) {
    const readUrl = databaseUrl ?? eventStoreUrl!;
    const eventsUrl = eventStoreUrl ?? databaseUrl!;
    const db = openPostgres(readUrl, 4);
    await reachable(db, `the database at ${redact(readUrl)}`);
    const eventsDb = eventsUrl === readUrl ? db : openPostgres(eventsUrl, 4);
    if (eventsDb !== db) await reachable(eventsDb, `the event store at ${redact(eventsUrl)}`);
    const store = new PostgresEventStore(eventsDb, { schema: 'eventstore' });
    await store.migrate();
    return {
      store,
      db,
      description: redact(eventsUrl),
      async close() {
        await store.close();
        await db.destroy();
        if (eventsDb !== db) await eventsDb.destroy();
      },
    };
  }
  const dataDir = resolve(env.DATA_DIR ?? './data');
  const pgDir = join(dataDir, 'pg');
  if (!create && !existsSync(pgDir)) {
    throw unavailable(
      `no Concord data in ${dataDir} (set DATA_DIR, or DATABASE_URL for a PostgreSQL server)`,
    );
  }
  let opened: Awaited<ReturnType<typeof openPglite>>;
  try {
    opened = await openPglite(pgDir);
  } catch (error) {
    throw unavailable(`cannot open the embedded database in ${pgDir}: ${(error as Error).message}`);
  }
  const store = new PostgresEventStore(opened.db, { schema: 'eventstore' });
  await store.migrate();
  return {
    store,
    db: opened.db,
    description: pgDir,
    async close() {
      await store.close();
      await opened.db.destroy().catch(() => {});
    },
  };
}
