import { type EventStore, PostgresEventStore } from '@concord/event-store';
import { type Kysely, sql } from 'kysely';
import {
  assertSchemaName,
  DEFAULT_SCHEMA,
  dropIndexStatements,
  indexStatements,
  migrateReadModels,
} from '../schema/migrate.ts';
import { tables } from '../schema/tables.ts';
import { commitBatch, prepareBatch, readCheckpoint } from './apply.ts';
import type { ProjectorLogger } from './projector.ts';
import { PrefetchingReader } from './reader.ts';
import { EntityCache } from './unit-of-work.ts';

export interface BuildOptions {
  db: Kysely<unknown>;
  store: EventStore;
  /** The schema to build into; dropped first if it exists. */
  schema: string;
  /** Stop after this global position (default: everything stored). */
  until?: number;
  /** Events per transaction; default 5000. */
  batchSize?: number;
  /**
   * Called after each batch with the events applied so far and the expected total. The store counts
   * positions, not events, so the total is estimated from how far through the positions the build is;
   * the last call has `done === total`.
   */
  onProgress?(done: number, total: number): void;
  logger?: ProjectorLogger;
}

export interface BuildResult {
  schema: string;
  events: number;
  position: number;
  ms: number;
}

async function exec(db: Kysely<unknown>, statement: string): Promise<void> {
  await sql.raw(statement).execute(db);
}

/**
 * Refreshes the planner's statistics of the events table when it lives in the same database. Without
 * them (autovacuum off, or a bulk load it has not caught up with) PostgreSQL plans `readAll` as a sort of
 * every later event for each page, which makes a full replay quadratic. Statistics only; best effort.
 */
async function refreshEventStatistics(db: Kysely<unknown>, store: EventStore): Promise<void> {
  if (!(store instanceof PostgresEventStore)) return;
  try {
    await exec(db, `ANALYZE "${store.schema}"."events"`);
  } catch {
    // The events live in another database: its own maintenance applies.
  }
}

/**
 * Builds every read model from the first event into a fresh schema, without touching any other schema.
 * Secondary indexes are created once at the end (faster than maintaining them row by row).
 */
export async function buildReadModels(options: BuildOptions): Promise<BuildResult> {
  const { db, store, schema, onProgress } = options;
  assertSchemaName(schema);
  const started = Date.now();
  const batchSize = options.batchSize ?? 5000;
  await exec(db, `DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await migrateReadModels(db, schema);
  for (const statement of dropIndexStatements(schema)) await exec(db, statement);
  // History tables are only appended to: their primary keys are built once, at the end.
  const appendOnly = tables.filter((spec) => spec.appendOnly);
  for (const spec of appendOnly)
    await exec(db, `ALTER TABLE "${schema}"."${spec.name}" DROP CONSTRAINT "${spec.name}_pkey"`);
  await readCheckpoint(db, schema);

  await refreshEventStatistics(db, store);
  const cache = new EntityCache(Math.max(20_000, batchSize * 4));
  const reader = new PrefetchingReader(store, batchSize);
  const until = options.until ?? Number.POSITIVE_INFINITY;
  const head = Number.isFinite(until) ? until : await store.head();
  let position = 0;
  let events = 0;
  let first = 0;
  let lastLog = Date.now();
  // A two-stage pipeline: the next batch is read and applied in memory while the previous one commits.
  let committing: Promise<unknown> | null = null;
  for (;;) {
    const page = await reader.read(position, until);
    if (page.length === 0) break;
    const prepared = await prepareBatch(page, { db, schema, cache, after: position });
    if (committing) await committing;
    committing = commitBatch(prepared, { db, schema, cache, asynchronousCommit: true });
    committing.catch(() => {});
    if (first === 0) first = page[0]!.globalPosition;
    position = page[page.length - 1]!.globalPosition;
    events += page.length;
    if (onProgress) {
      const span = Math.max(head, position) - first;
      const fraction = span > 0 ? (position - first) / span : 1;
      onProgress(events, Math.max(events, Math.round(events / Math.max(fraction, 1e-9))));
    }
    if (options.logger && Date.now() - lastLog > 5000) {
      lastLog = Date.now();
      options.logger.info({ schema, events, position }, 'rebuilding read models');
    }
    if (position >= until) break;
  }
  if (committing) await committing;
  // Keys and indexes built once over the finished tables: one sort each instead of a million inserts.
  await db.transaction().execute(async (trx) => {
    await exec(trx, `SET LOCAL maintenance_work_mem = '128MB'`);
    for (const spec of appendOnly) {
      const columns = spec.primaryKey.map((column) => `"${column}"`).join(', ');
      await exec(
        trx,
        `ALTER TABLE "${schema}"."${spec.name}" ADD CONSTRAINT "${spec.name}_pkey" PRIMARY KEY (${columns})`,
      );
    }
    for (const statement of indexStatements(schema)) await exec(trx, statement);
  });
  for (const spec of tables) await exec(db, `ANALYZE "${schema}"."${spec.name}"`);
  onProgress?.(events, events);
  return { schema, events, position, ms: Date.now() - started };
}

export interface RebuildOptions extends Omit<BuildOptions, 'schema' | 'until'> {
  /** The live schema to replace; `readmodel` by default. */
  schema?: string;
}

/**
 * Rebuilds every read model from the first event into fresh tables, then swaps them in with one
 * transaction, so readers see either the old views or the complete new ones, never a half-built view.
 * A projector following the live schema notices the moved checkpoint and continues from it.
 */
export async function rebuild(options: RebuildOptions): Promise<BuildResult> {
  const schema = options.schema ?? DEFAULT_SCHEMA;
  assertSchemaName(schema);
  const scratch = `${schema}_rebuild`.slice(0, 63);
  const result = await buildReadModels({ ...options, schema: scratch });
  const retired = `${schema}_retired`.slice(0, 63);
  await exec(options.db, `DROP SCHEMA IF EXISTS "${retired}" CASCADE`);
  await options.db.transaction().execute(async (trx) => {
    const { rows } = await sql<{ exists: boolean }>`
      select exists (select 1 from pg_namespace where nspname = ${schema}) as exists`.execute(trx);
    if (rows[0]?.exists) {
      // Waits for a batch in progress to commit and holds off the next one until the swap is done.
      await exec(trx, `LOCK TABLE "${schema}"."checkpoints" IN ACCESS EXCLUSIVE MODE`);
      await exec(trx, `ALTER SCHEMA "${schema}" RENAME TO "${retired}"`);
    }
    await exec(trx, `ALTER SCHEMA "${scratch}" RENAME TO "${schema}"`);
  });
  await exec(options.db, `DROP SCHEMA IF EXISTS "${retired}" CASCADE`);
  return { ...result, schema };
}
