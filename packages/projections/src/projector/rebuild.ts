import { setImmediate as turnOfTheLoop } from 'node:timers/promises';
import { driverOf, type EventStore } from '@concord/event-store';
import { type Kysely, sql } from 'kysely';
import { auditView } from '../read-models/audit/projection.ts';
import { auditTrail } from '../read-models/audit/table.ts';
import { views } from '../read-models/views.ts';
import type { TableSpec } from '../schema/columns.ts';
import {
  assertSchemaName,
  DEFAULT_SCHEMA,
  dropIndexStatements,
  migrateReadModels,
  tableIndexStatements,
} from '../schema/migrate.ts';
import { checkpoints, viewTables } from '../schema/tables.ts';
import { CHECKPOINT, readCheckpoint, viewsFor } from './apply.ts';
import { MemoryRows, primaryKeyIndex } from './bulk/memory-rows.ts';
import { openSink } from './bulk/sink.ts';
import { decode, decodeStored, type ProjectedEvent } from './decode.ts';
import type { ProjectorLogger } from './projector.ts';
import { PrefetchingReader } from './reader.ts';
import { run } from './sql.ts';

export interface BuildOptions {
  db: Kysely<unknown>;
  store: EventStore;
  /** The schema to build into; dropped first if it exists. */
  schema: string;
  /** Stop after this global position (default: everything stored). */
  until?: number;
  /**
   * Events per page: read, applied, then written (one COPY per table, each its own transaction). Default
   * 5,000 (ADR 0044), or 2,500 on PGlite (ADR 0041).
   */
  batchSize?: number;
  /**
   * Called after each batch with the events applied so far and the expected total. The store counts
   * positions, not events, so the total is estimated from how far through the positions the build is;
   * the last call has `done === total`.
   */
  onProgress?(done: number, total: number): void;
  logger?: ProjectorLogger;
  /**
   * Entity rows kept in memory; past it those not written lately are written out and read back when a
   * later event touches them again, so memory does not grow with the history. Default 250,000, or 25,000
   * on PGlite (ADR 0041).
   */
  maxEntityRows?: number;
}

export interface BuildResult {
  schema: string;
  events: number;
  position: number;
  ms: number;
}

/**
 * A rebuild's default page size, entity-row bound and index-build memory on `db` (ADR 0041, ADR 0042).
 * PGlite runs in this process: its memory is the rebuild's, and a row it writes out or takes back costs no
 * round trip, so on PGlite a rebuild holds smaller pages and fewer rows, at the same speed. Its WebAssembly
 * memory never shrinks, and an index build's sort takes up to `maintenanceWorkMem` of it: PostgreSQL's
 * default there, so the peak does not grow with the history. On a PostgreSQL server, fewer rows cost round
 * trips (ADR 0036: 125,000 rows was 15 % slower), and the sorts' memory is the server's.
 */
export function rebuildLimits(db: Kysely<unknown>): {
  pageSize: number;
  maxEntityRows: number;
  maintenanceWorkMem: string;
} {
  return driverOf(db)?.kind === 'pglite'
    ? { pageSize: 2_500, maxEntityRows: 25_000, maintenanceWorkMem: '64MB' }
    : { pageSize: 5_000, maxEntityRows: 250_000, maintenanceWorkMem: '256MB' };
}

async function exec(db: Kysely<unknown>, statement: string): Promise<void> {
  await sql.raw(statement).execute(db);
}

/** A page of a rebuild's events, each decoded as the page is gone through. */
interface EventPage {
  readonly length: number;
  readonly lastPosition: number;
  /** The events at indexes `from` up to but not including `to`, in order. */
  forEach(callback: (event: ProjectedEvent) => void, from: number, to: number): void;
}

/** Events applied between two turns of the event loop. */
const SLICE = 500;

/**
 * Runs `work` over `[0, length)` a slice at a time, letting the event loop turn between slices: while a
 * page is applied, the previous page's COPYs (a round trip per table) and the next page's read go on,
 * instead of waiting until the whole page is done.
 */
async function inSlices(length: number, work: (from: number, to: number) => void): Promise<void> {
  for (let from = 0; from < length; from += SLICE) {
    if (from > 0) await turnOfTheLoop();
    work(from, Math.min(length, from + SLICE));
  }
}

/** A rebuild's events, page by page: the store's bulk `scan` where it offers one, `readAll` elsewhere. */
async function* pagesOf(store: EventStore, until: number, pageSize: number): AsyncGenerator<EventPage> {
  if (store.scan) {
    for await (const page of store.scan({ until, pageSize })) {
      yield {
        length: page.length,
        lastPosition: page.lastPosition,
        forEach: (callback, from, to) =>
          page.forEach(
            (stored) => {
              callback(decodeStored(stored));
            },
            from,
            to,
          ),
      };
    }
    return;
  }
  const reader = new PrefetchingReader(store, pageSize);
  let position = 0;
  for (;;) {
    const page = await reader.read(position, until);
    if (page.length === 0) return;
    position = page[page.length - 1]!.globalPosition;
    yield {
      length: page.length,
      lastPosition: position,
      forEach: (callback, from, to) => {
        for (const event of page.slice(from, to)) callback(decode(event));
      },
    };
    if (position >= until) return;
  }
}

const noChange = () => {};

/**
 * Keys, indexes and statistics of finished tables, biggest tables first, on up to `parallel` connections (a
 * table's indexes build side by side: unique indexes first, attached as primary keys after).
 */
async function finishTables(
  db: Kysely<unknown>,
  schema: string,
  specs: readonly TableSpec[],
  counts: Map<string, number>,
  parallel: number,
  maintenanceWorkMem: string,
) {
  const bySize = [...specs].sort((a, b) => (counts.get(b.name) ?? 0) - (counts.get(a.name) ?? 0));
  const queue: string[] = [];
  for (const spec of bySize) {
    // A table whose rows a rebuild wrote out early already has it (see MemoryRows).
    queue.push(primaryKeyIndex(schema, spec));
    queue.push(...tableIndexStatements(schema, spec));
  }
  const analyze = bySize.map((spec) => `ANALYZE "${schema}"."${spec.name}"`);
  const worker = (statements: string[]) =>
    db.connection().execute(async (connection) => {
      await exec(connection, `SET maintenance_work_mem = '${maintenanceWorkMem}'`);
      try {
        for (let next = statements.shift(); next; next = statements.shift()) await exec(connection, next);
      } finally {
        await exec(connection, 'RESET maintenance_work_mem');
      }
    });
  const workers = (statements: string[]) =>
    Promise.all(Array.from({ length: parallel }, () => worker(statements)));
  await workers(queue);
  for (const spec of specs) {
    await exec(
      db,
      `ALTER TABLE "${schema}"."${spec.name}" ADD CONSTRAINT "${spec.name}_pkey" PRIMARY KEY USING INDEX "${spec.name}_pkey"`,
    );
  }
  await workers(analyze);
}

const historyTables = viewTables.filter((spec) => spec.appendOnly);
const entityTables = viewTables.filter((spec) => !spec.appendOnly);

/**
 * Builds every read model from the first event into a fresh schema, without touching any other schema.
 * Nothing else writes the fresh tables, so the build keeps entity rows in memory (up to `maxEntityRows`:
 * past it those not written lately are written out, and taken back when a page reads them; ADR 0036 and
 * ADR 0044) and writes them at the end; history rows (the audit trail above all) are written page by page
 * with binary COPY, each page in its own transaction (a long writing transaction would hold every reader of
 * the store back), while the next page is read and applied, a slice at a time. Keys, indexes and statistics
 * are built once over the finished tables.
 */
export async function buildReadModels(options: BuildOptions): Promise<BuildResult> {
  const { db, store, schema, onProgress } = options;
  assertSchemaName(schema);
  const started = Date.now();
  const limits = rebuildLimits(db);
  const pageSize = options.batchSize ?? limits.pageSize;
  await exec(db, `DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
  await migrateReadModels(db, schema);
  for (const statement of dropIndexStatements(schema)) await exec(db, statement);
  for (const spec of viewTables)
    await exec(db, `ALTER TABLE "${schema}"."${spec.name}" DROP CONSTRAINT "${spec.name}_pkey"`);
  await readCheckpoint(db, schema);

  // Statistics first (best effort): a planner without them can make a whole-history read quadratic.
  await store.analyze?.().catch(() => {});
  const until = options.until ?? (await store.head());
  const sink = await openSink(db, schema);
  const rows = new MemoryRows(sink, options.maxEntityRows ?? limits.maxEntityRows);
  const context = { uow: rows, change: noChange };
  let position = 0;
  let events = 0;
  let first = 0;
  let lastLog = Date.now();
  // A pipeline: while one page is written, the next is read (by the store) and applied here.
  let writing: Promise<void> | null = null;
  let finishingHistory: Promise<void> | undefined;
  try {
    const apply = (projected: ProjectedEvent) => {
      if (first === 0) first = projected.recorded.globalPosition;
      for (const view of viewsFor(projected.recorded.type)) view.apply(projected, context);
      sink.append(auditTrail, auditView.rowOf(projected, rows));
    };
    for await (const page of pagesOf(store, until, pageSize)) {
      if (!rows.spilled) {
        await inSlices(page.length, (from, to) => page.forEach(apply, from, to));
      } else {
        // Rows were written out: the page says what it reads, and what is on disk comes back first (while
        // the previous page's history rows are still being written: rows written out are written at once).
        const events: ProjectedEvent[] = [];
        const needs = (projected: ProjectedEvent) => {
          events.push(projected);
          for (const view of viewsFor(projected.recorded.type)) view.needs(projected, rows);
          auditView.needs(projected, rows);
        };
        await inSlices(page.length, (from, to) => page.forEach(needs, from, to));
        await rows.takeBack(db, schema);
        await inSlices(events.length, (from, to) => {
          for (let n = from; n < to; n++) apply(events[n]!);
        });
      }
      if (writing) await writing;
      await rows.spill(db, schema, views);
      writing = sink.flush();
      writing.catch(() => {});
      position = page.lastPosition;
      events += page.length;
      if (onProgress) {
        const span = Math.max(until, position) - first;
        const fraction = span > 0 ? (position - first) / span : 1;
        onProgress(events, Math.max(events, Math.round(events / Math.max(fraction, 1e-9))));
      }
      if (options.logger && Date.now() - lastLog > 5000) {
        lastLog = Date.now();
        options.logger.info({ schema, events, position }, 'rebuilding read models');
      }
    }
    if (writing) await writing;
    // The history tables are complete: their keys and indexes are built while the entity rows are
    // finished and written (the database has cores to spare while this process encodes them).
    finishingHistory = finishTables(db, schema, historyTables, sink.counts, 2, limits.maintenanceWorkMem);
    finishingHistory.catch(() => {});
    // Derived columns from each row's final state (what the live projector computes per batch).
    for (const view of views) view.finish?.(rows);
    await rows.writeEntities();
  } finally {
    if (writing) await writing.catch(() => {});
    await sink.close();
    // Never leave statements running on the schema when the build gives up.
    await finishingHistory?.catch(() => {});
  }
  await finishingHistory;
  await run(
    db,
    `UPDATE "${schema}"."${checkpoints.name}" SET position = $1, events = $2, updated_at = now() WHERE name = $3`,
    [position, events, CHECKPOINT],
  );
  await finishTables(db, schema, entityTables, sink.counts, 2, limits.maintenanceWorkMem);
  await exec(db, `ANALYZE "${schema}"."${checkpoints.name}"`);
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
