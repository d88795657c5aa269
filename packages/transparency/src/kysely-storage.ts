/**
 * A `TreeStorage` on PostgreSQL or PGlite through Kysely, in a schema of its own (`transparency` by
 * default). Tables (migration 0001, frozen):
 *
 * - `nodes (level, chunk, hashes)`: the complete subtrees of one level, 32 per row: row `(L, c)` holds the
 *   hashes of nodes `32c …` at level L, concatenated (a row fills as the tree grows). Level 0 holds the
 *   leaf hashes. A proof reads its O(log n) rows in one query.
 * - `leaves (chunk, first_position, positions)`: each leaf's event position, 32 per row as 8-byte
 *   big-endian integers, for finding an event's leaf (`first_position` is indexed).
 * - `state`: one row, the tree's size and last position; an append moves it only from the size it read,
 *   so two writers cannot interleave.
 * - `checkpoints (size, note, signed_at)`: the signed checkpoints.
 *
 * A full node row never changes again (complete subtrees are immutable), so full rows are kept in a
 * bounded in-memory cache: every proof needs the few rows near the top of the tree, and those stop
 * costing a read. Rows still filling are always read from the database.
 * @module
 */
import { migrateSchema } from '@concord/event-store';
import { type Kysely, type Migration, sql } from 'kysely';
import { LRUCache } from 'lru-cache';
import type { NodeKey } from './rfc9162.ts';
import {
  type AppendBatch,
  type StoredCheckpoint,
  TreeConflictError,
  type TreeState,
  type TreeStorage,
} from './storage.ts';

/** Hashes (and positions) per row. */
export const CHUNK = 32;

const SCHEMA_NAME = /^[a-z_][a-z0-9_]{0,62}$/;

/** The first migration, as released: only the schema name is filled in. */
function initialMigration(schema: string): string[] {
  const s = `"${schema}"`;
  return [
    `CREATE TABLE ${s}.nodes (
  level smallint NOT NULL CHECK (level >= 0 AND level < 64),
  chunk bigint NOT NULL CHECK (chunk >= 0),
  hashes bytea NOT NULL CHECK (length(hashes) % 32 = 0 AND length(hashes) BETWEEN 32 AND ${32 * CHUNK}),
  PRIMARY KEY (level, chunk)
)`,
    `CREATE TABLE ${s}.leaves (
  chunk bigint PRIMARY KEY CHECK (chunk >= 0),
  first_position bigint NOT NULL UNIQUE,
  positions bytea NOT NULL CHECK (length(positions) % 8 = 0 AND length(positions) BETWEEN 8 AND ${8 * CHUNK})
)`,
    `CREATE TABLE ${s}.state (
  id boolean PRIMARY KEY DEFAULT true CHECK (id),
  size bigint NOT NULL CHECK (size >= 0),
  last_position bigint NOT NULL CHECK (last_position >= 0)
)`,
    `INSERT INTO ${s}.state (size, last_position) VALUES (0, 0)`,
    `CREATE TABLE ${s}.checkpoints (
  size bigint PRIMARY KEY CHECK (size >= 0),
  note text NOT NULL,
  signed_at timestamptz NOT NULL DEFAULT now()
)`,
  ];
}

/** Creates or upgrades the tables in `schema`. */
export async function migrateTransparency(db: Kysely<unknown>, schema = 'transparency'): Promise<void> {
  if (!SCHEMA_NAME.test(schema)) throw new Error(`Invalid schema name "${schema}"`);
  const migrations: Record<string, Migration> = {
    '0001_tree': {
      async up(db) {
        // One statement per call: PGlite's extended protocol refuses several in one.
        for (const statement of initialMigration(schema)) await sql.raw(statement).execute(db);
      },
    },
  };
  await migrateSchema(db, schema, migrations);
}

/** Bigints come as strings from `pg` and as numbers from PGlite. */
const num = (value: string | number | bigint): number => Number(value);
const bytes = (value: Uint8Array): Buffer => Buffer.from(value.buffer, value.byteOffset, value.byteLength);
/** A PostgreSQL array literal of whole numbers, passed as text and cast (the same on every driver). */
const intArray = (values: readonly number[]): string => `{${values.join(',')}}`;

/** Where each of these lengths starts when they are laid end to end. */
function startsOf(lengths: readonly number[]): number[] {
  const out: number[] = [];
  let at = 0;
  for (const length of lengths) {
    out.push(at);
    at += length;
  }
  return out;
}

/** Bytes of a full node row. */
const FULL_ROW = 32 * CHUNK;

/** A `TreeStorage` in the tables `migrateTransparency` creates. */
export class KyselyTreeStorage implements TreeStorage {
  readonly #schema: string;
  /** Full node rows by `level/chunk`. */
  readonly #fullRows: LRUCache<string, Uint8Array>;

  /**
   * @param options.cacheBytes bytes of full node rows kept in memory (default 16 MiB, 16,384 rows; the
   *   rows near the top, which every proof reads, stay in it).
   */
  constructor(
    readonly db: Kysely<unknown>,
    schema = 'transparency',
    options: { cacheBytes?: number } = {},
  ) {
    if (!SCHEMA_NAME.test(schema)) throw new Error(`Invalid schema name "${schema}"`);
    this.#schema = schema;
    this.#fullRows = new LRUCache({
      maxSize: options.cacheBytes ?? 16 * 1024 * 1024,
      sizeCalculation: () => FULL_ROW,
    });
  }

  #table(name: string) {
    return sql.table(`${this.#schema}.${name}`);
  }

  async state(): Promise<TreeState> {
    const { rows } = await sql<{ size: string | number; last_position: string | number }>`
      SELECT size, last_position FROM ${this.#table('state')}`.execute(this.db);
    const row = rows[0];
    if (!row) throw new Error('the transparency state row is missing');
    return { size: num(row.size), lastPosition: num(row.last_position) };
  }

  async nodes(keys: readonly NodeKey[]): Promise<Uint8Array[]> {
    if (keys.length === 0) return [];
    const rowKey = (level: number, chunk: number) => `${level}/${chunk}`;
    const wanted = new Map<string, [number, number]>();
    for (const { level, index } of keys) {
      const chunk = Math.floor(index / CHUNK);
      wanted.set(rowKey(level, chunk), [level, chunk]);
    }
    const found = new Map<string, Uint8Array>();
    const missing: [number, number][] = [];
    for (const [key, pair] of wanted) {
      const cached = this.#fullRows.get(key);
      if (cached) found.set(key, cached);
      else missing.push(pair);
    }
    if (missing.length > 0) {
      const { rows } = await sql<{ level: number; chunk: string | number; hashes: Uint8Array }>`
        SELECT n.level, n.chunk, n.hashes FROM ${this.#table('nodes')} n
        JOIN unnest(${intArray(missing.map((p) => p[0]))}::int2[], ${intArray(missing.map((p) => p[1]))}::int8[])
          AS k(level, chunk) ON n.level = k.level AND n.chunk = k.chunk`.execute(this.db);
      for (const row of rows) {
        const key = rowKey(row.level, num(row.chunk));
        found.set(key, row.hashes);
        if (row.hashes.length === FULL_ROW) this.#fullRows.set(key, row.hashes);
      }
    }
    return keys.map(({ level, index }) => {
      const row = found.get(rowKey(level, Math.floor(index / CHUNK)));
      const offset = (index % CHUNK) * 32;
      if (!row || row.length < offset + 32) throw new Error(`node ${level}/${index} is not stored`);
      return row.subarray(offset, offset + 32);
    });
  }

  async append(batch: AppendBatch): Promise<void> {
    if (batch.positions.length !== batch.toSize - batch.fromSize) {
      throw new Error('one position per appended leaf');
    }
    // Node rows: each level's run cut where a row (chunk) ends; the blob is the runs one after the other.
    const levels: number[] = [];
    const chunks: number[] = [];
    const offsets: number[] = [];
    const lengths: number[] = [];
    let blobOffset = 0;
    for (const { level, firstIndex, hashes } of batch.levels) {
      const count = hashes.length / 32;
      let index = firstIndex;
      while (index < firstIndex + count) {
        const chunk = Math.floor(index / CHUNK);
        const end = Math.min((chunk + 1) * CHUNK, firstIndex + count);
        levels.push(level);
        chunks.push(chunk);
        offsets.push(blobOffset + (index - firstIndex) * 32);
        lengths.push((end - index) * 32);
        index = end;
      }
      blobOffset += hashes.length;
    }
    // Position rows, the same way.
    const leafChunks: number[] = [];
    const firstPositions: number[] = [];
    const positionLengths: number[] = [];
    const positionBlob = Buffer.allocUnsafe(8 * batch.positions.length);
    batch.positions.forEach((position, i) => {
      positionBlob.writeBigUInt64BE(BigInt(position), 8 * i);
      const index = batch.fromSize + i;
      const c = Math.floor(index / CHUNK);
      if (leafChunks.at(-1) !== c) {
        leafChunks.push(c);
        firstPositions.push(position);
        positionLengths.push(0);
      }
      positionLengths[positionLengths.length - 1]! += 8;
    });

    const nodeBlob = Buffer.concat(batch.levels.map((run) => bytes(run.hashes)));
    const positionOffsets = startsOf(positionLengths);
    const lastPosition = batch.positions.at(-1)!;
    await this.db.transaction().execute(async (trx) => {
      // Moving the size first locks the state row: a second writer waits, then finds the size moved.
      const moved = await sql<{ size: string | number }>`
        UPDATE ${this.#table('state')} SET size = ${batch.toSize}, last_position = ${lastPosition}
        WHERE size = ${batch.fromSize} AND last_position < ${batch.positions[0]!}
        RETURNING size`.execute(trx);
      if (moved.rows.length === 0) {
        const { rows } = await sql<{
          size: string | number;
        }>`SELECT size FROM ${this.#table('state')}`.execute(trx);
        throw new TreeConflictError(batch.fromSize, num(rows[0]?.size ?? -1));
      }
      await sql`
        INSERT INTO ${this.#table('nodes')} AS n (level, chunk, hashes)
        SELECT u.level, u.chunk, substring(${nodeBlob}::bytea FROM u.off + 1 FOR u.len)
        FROM unnest(${intArray(levels)}::int2[], ${intArray(chunks)}::int8[], ${intArray(offsets)}::int4[],
          ${intArray(lengths)}::int4[]) AS u(level, chunk, off, len)
        ON CONFLICT (level, chunk) DO UPDATE SET hashes = n.hashes || EXCLUDED.hashes`.execute(trx);
      await sql`
        INSERT INTO ${this.#table('leaves')} AS l (chunk, first_position, positions)
        SELECT u.chunk, u.first, substring(${positionBlob}::bytea FROM u.off + 1 FOR u.len)
        FROM unnest(${intArray(leafChunks)}::int8[], ${intArray(firstPositions)}::int8[],
          ${intArray(positionOffsets)}::int4[], ${intArray(positionLengths)}::int4[]) AS u(chunk, first, off, len)
        ON CONFLICT (chunk) DO UPDATE SET positions = l.positions || EXCLUDED.positions`.execute(trx);
    });
  }

  async indexOf(position: number): Promise<number | undefined> {
    const { rows } = await sql<{ chunk: string | number; positions: Uint8Array }>`
      SELECT chunk, positions FROM ${this.#table('leaves')}
      WHERE first_position <= ${position} ORDER BY first_position DESC LIMIT 1`.execute(this.db);
    const row = rows[0];
    if (!row) return undefined;
    const view = bytes(row.positions);
    for (let i = 0; i < view.length / 8; i++) {
      if (Number(view.readBigUInt64BE(8 * i)) === position) return num(row.chunk) * CHUNK + i;
    }
    return undefined;
  }

  async positionOf(index: number): Promise<number | undefined> {
    const { rows } = await sql<{ positions: Uint8Array }>`
      SELECT positions FROM ${this.#table('leaves')} WHERE chunk = ${Math.floor(index / CHUNK)}`.execute(
      this.db,
    );
    const row = rows[0];
    const offset = (index % CHUNK) * 8;
    if (!row || row.positions.length < offset + 8) return undefined;
    return Number(bytes(row.positions).readBigUInt64BE(offset));
  }

  async saveCheckpoint(checkpoint: StoredCheckpoint): Promise<void> {
    await sql`
      INSERT INTO ${this.#table('checkpoints')} (size, note) VALUES (${checkpoint.size}, ${checkpoint.note})
      ON CONFLICT (size) DO UPDATE SET note = EXCLUDED.note`.execute(this.db);
  }

  async checkpoint(size?: number): Promise<StoredCheckpoint | undefined> {
    const { rows } =
      size === undefined
        ? await sql<{ size: string | number; note: string }>`
            SELECT size, note FROM ${this.#table('checkpoints')} ORDER BY size DESC LIMIT 1`.execute(this.db)
        : await sql<{ size: string | number; note: string }>`
            SELECT size, note FROM ${this.#table('checkpoints')} WHERE size = ${size}`.execute(this.db);
    const row = rows[0];
    return row ? { size: num(row.size), note: row.note } : undefined;
  }
}
