import type { PGlite } from '@electric-sql/pglite';
import { Kysely, type KyselyConfig } from 'kysely';
import type pg from 'pg';
import type { WalSync } from './wal-sync.ts';

/**
 * The driver under a Kysely instance. Bulk paths (reading every event for a rebuild, writing read models
 * with COPY) talk to it directly, since Kysely has no COPY.
 */
export type DatabaseDriver =
  | { kind: 'pg'; pool: pg.Pool }
  /** `wal`: on a durable data directory, where the appends' WAL flushes are made (ADR 0034). */
  | { kind: 'pglite'; pglite: PGlite; wal?: WalSync };

/**
 * A Kysely instance that says which driver it runs on: what `openPglite` and `openPostgres` return. A
 * database opened any other way is a plain `Kysely`, and bulk paths use plain queries on it.
 */
export class DriverKysely<DB = unknown> extends Kysely<DB> {
  constructor(
    config: KyselyConfig,
    readonly driver: DatabaseDriver,
  ) {
    super(config);
  }
}

/** The driver `db` runs on, when it was opened by `openPglite` or `openPostgres`. */
export function driverOf(db: object): DatabaseDriver | undefined {
  return db instanceof DriverKysely ? db.driver : undefined;
}

/**
 * Runs `work` on PGlite while holding Kysely's (only) connection to it, so direct calls never land inside a
 * transaction that another caller opened through Kysely.
 */
export function pgliteExclusive<T>(db: Kysely<unknown>, work: () => Promise<T>): Promise<T> {
  return db.connection().execute(work);
}

/** SQLSTATEs of a prepared statement the session no longer has, or can no longer run as it was parsed. */
const STALE_STATEMENT = new Set(['26000', '0A000']);

/**
 * Whether `error` says a kept prepared statement is stale (its tables changed shape since it was parsed):
 * parsed again, it runs. Both drivers' statement caches ask this (ADR 0033).
 */
export function isStaleStatement(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && STALE_STATEMENT.has(code);
}

/** A growing byte buffer that copies what it is given (the driver reuses its receive buffer). */
export class Accumulator {
  #buffer = Buffer.allocUnsafe(1 << 20);
  #length = 0;

  append(chunk: Uint8Array): void {
    if (this.#length + chunk.length > this.#buffer.length) {
      const next = Buffer.allocUnsafe(Math.max(this.#buffer.length * 2, this.#length + chunk.length));
      this.#buffer.copy(next, 0, 0, this.#length);
      this.#buffer = next;
    }
    this.#buffer.set(chunk, this.#length);
    this.#length += chunk.length;
  }

  get bytes(): Buffer {
    return this.#buffer.subarray(0, this.#length);
  }

  /** Empties it for reuse: what `bytes` returned before is overwritten by the next appends. */
  reset(): void {
    this.#length = 0;
  }
}
