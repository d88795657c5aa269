import { existsSync, mkdirSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { dirname, join } from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { PostgresDialect } from 'kysely';
import pg from 'pg';
import { Checkpointer, type CheckpointOptions } from './checkpoints.ts';
import { DriverKysely } from './driver.ts';
import { durablePgliteOptions, syncPath, syncTree } from './durable-fs.ts';
import { preparingPool } from './pg-prepared.ts';
import { PglitePreparedDialect } from './pglite-dialect.ts';
import { PostgresEventStore } from './store.ts';

export interface OpenOptions {
  schema?: string;
  pollIntervalMs?: number;
}

/**
 * A Kysely instance on embedded PGlite; in memory when `dataDir` is undefined. On disk it is durable
 * (ADR 0010): PostgreSQL's fsyncs reach the disk, so a commit returns only once its WAL is flushed, and it
 * checkpoints as its WAL grows (`checkpoints`, ADR 0040).
 * `durable: false` keeps PGlite's own behaviour (no sync at all), for scratch data only.
 */
export async function openPglite(
  dataDir?: string,
  options: { durable?: boolean; checkpoints?: CheckpointOptions } = {},
): Promise<{ db: DriverKysely; pglite: PGlite; checkpoints?: Checkpointer }> {
  const durable = dataDir !== undefined && options.durable !== false;
  const fresh = dataDir !== undefined && !existsSync(join(dataDir, 'PG_VERSION'));
  if (dataDir) mkdirSync(dataDir, { recursive: true });
  const durableOptions = durable && dataDir ? durablePgliteOptions(dataDir) : undefined;
  const pglite = dataDir ? new PGlite(durableOptions ?? { dataDir }) : new PGlite();
  const wal = durableOptions?.fs.wal;
  await pglite.waitReady;
  // A new data directory is unpacked from an archive without a single sync: sync it once, and its folder.
  if (durable && fresh && dataDir) {
    syncTree(dataDir);
    syncPath(dirname(dataDir));
  }
  const db = new DriverKysely(
    { dialect: new PglitePreparedDialect(pglite, wal) },
    { kind: 'pglite', pglite, wal },
  );
  const checkpoints = durableOptions
    ? new Checkpointer(durableOptions.fs, db, pglite, options.checkpoints)
    : undefined;
  return { db, pglite, checkpoints };
}

/**
 * Connections a pool opens at most by default: four per core of this machine, at most 20. Statements beyond
 * what the cores can run do not finish sooner. With PostgreSQL on the same machine they only stall together:
 * on 2 cores a pool of 20 let a burst stall every command for a few hundred ms (ADR 0035).
 */
export const DEFAULT_POOL_SIZE = Math.min(20, 4 * availableParallelism());

/** A Kysely instance on a PostgreSQL server through a `pg` pool of `poolSize` connections at most. */
export function openPostgres(connectionString: string, poolSize = DEFAULT_POOL_SIZE): DriverKysely {
  const pool = new pg.Pool({ connectionString, max: poolSize });
  // An idle connection the server ends (restart, failover) is dropped by the pool and replaced on next use;
  // without a listener Node would treat the event as fatal.
  pool.on('error', () => {});
  return new DriverKysely(
    { dialect: new PostgresDialect({ pool: preparingPool(pool) }) },
    { kind: 'pg', pool },
  );
}

/** Opens (and migrates) an event store on embedded PGlite; it owns and closes the database. */
export async function openPgliteEventStore(
  dataDir?: string,
  options: OpenOptions = {},
): Promise<PostgresEventStore> {
  const { db } = await openPglite(dataDir);
  const store = new PostgresEventStore(db, { ...options, onClose: () => db.destroy() });
  await store.migrate();
  return store;
}

/** Opens (and migrates) an event store on a PostgreSQL server; it owns and closes its pool. */
export async function openPostgresEventStore(
  connectionString: string,
  options: OpenOptions & { poolSize?: number } = {},
): Promise<PostgresEventStore> {
  const db = openPostgres(connectionString, options.poolSize);
  const store = new PostgresEventStore(db, { ...options, onClose: () => db.destroy() });
  await store.migrate();
  return store;
}
