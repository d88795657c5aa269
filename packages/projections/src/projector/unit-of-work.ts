import type { Kysely } from 'kysely';
import type { TableSpec } from '../schema/columns.ts';
import { viewTables } from '../schema/tables.ts';
import { byKeys, normalizeRow, qualified, quote, run } from './sql.ts';

type Row = Record<string, unknown>;

const SEPARATOR = '\u0000';

export function keyOf(spec: TableSpec, row: Row): string {
  const key = spec.primaryKey;
  if (key.length === 1) return String(row[key[0]!]);
  return keyOfValues(row[key[0]!], row[key[1]!], key.length > 2 ? row[key[2]!] : undefined);
}

/** A row's key from its primary key values (one to three columns). */
export function keyOfValues(a: unknown, b: unknown, c: unknown): string {
  if (b === undefined) return String(a);
  if (c === undefined) return `${a}${SEPARATOR}${b}`;
  return `${a}${SEPARATOR}${b}${SEPARATOR}${c}`;
}

/**
 * Entity rows the projector has read or written, per table, kept across batches so a rebuild does not
 * read back what it just wrote. The rows written longest ago are dropped past `limit`; the whole cache is
 * dropped when a batch fails or another writer moved the checkpoint. `null` records a known absence.
 */
export class EntityCache {
  readonly #tables = new Map<string, Map<string, Row | null>>();

  constructor(readonly limit = 20_000) {}

  table(name: string): Map<string, Row | null> {
    let map = this.#tables.get(name);
    if (!map) {
      map = new Map();
      this.#tables.set(name, map);
    }
    return map;
  }

  get(name: string, key: string): Row | null | undefined {
    return this.table(name).get(key);
  }

  set(name: string, key: string, row: Row | null): void {
    const map = this.table(name);
    map.delete(key);
    map.set(key, row);
    if (map.size > this.limit) {
      for (const oldest of map.keys()) {
        map.delete(oldest);
        if (map.size <= this.limit * 0.9) break;
      }
    }
  }

  clear(): void {
    this.#tables.clear();
  }
}

/**
 * The rows views read and write while applying events: the live projector's `UnitOfWork` (rows loaded per
 * batch, written with the batch) or a rebuild's `MemoryRows` (every entity in memory, written once).
 */
export interface Rows {
  /** Declares that applying the batch will read this row (primary key values in order). */
  want(spec: TableSpec, a: unknown, b?: unknown, c?: unknown): void;
  /** The current row, or undefined when it does not exist. */
  get<R>(spec: TableSpec, a: unknown, b?: unknown, c?: unknown): R | undefined;
  /**
   * Writes a whole row (insert or replace). `isNew`: the view knows no row with this key was ever written
   * (a rebuild then has no older version on disk to delete first); a row that does exist is still replaced.
   */
  put<R extends object>(spec: TableSpec, row: R, isNew?: boolean): R;
  remove(spec: TableSpec, a: unknown, b?: unknown, c?: unknown): void;
  /** Deletes every row whose `column` equals `value` (e.g. the representatives of a departed member). */
  removeWhere(spec: TableSpec, column: string, value: unknown): void;
  /** Appends a history row. */
  append<R extends object>(spec: TableSpec, row: R): void;
  /** The rows written to `spec` (by this batch; in a rebuild, all of them), e.g. to finish derived columns. */
  written<R>(spec: TableSpec): R[];
}

interface TableWork {
  spec: TableSpec;
  /** Rows to upsert (or `null`: delete), by key. */
  dirty: Map<string, Row | null>;
  appended: Row[];
  /** Keys to load before the batch is applied. */
  wanted: Map<string, readonly unknown[]>;
  /** `DELETE … WHERE column = value` to run before the keyed writes. */
  deleteWhere: { column: string; value: unknown }[];
}

/**
 * One batch's effects on the read models, gathered in memory: entity rows by key (the last write of a
 * key wins), history rows appended. Flushed with one multi-row statement per table and kind of write.
 */
export class UnitOfWork implements Rows {
  readonly #work = new Map<string, TableWork>();

  constructor(
    readonly schema: string,
    readonly cache: EntityCache,
  ) {
    for (const spec of viewTables) {
      this.#work.set(spec.name, { spec, dirty: new Map(), appended: [], wanted: new Map(), deleteWhere: [] });
    }
  }

  #table(spec: TableSpec): TableWork {
    return this.#work.get(spec.name)!;
  }

  /** Declares that applying the batch will read this row (primary key values in order). */
  want(spec: TableSpec, a: unknown, b?: unknown, c?: unknown): void {
    const k = keyOfValues(a, b, c);
    if (this.cache.get(spec.name, k) === undefined) {
      this.#table(spec).wanted.set(k, b === undefined ? [a] : c === undefined ? [a, b] : [a, b, c]);
    }
  }

  /** Loads every wanted row that is not cached, one query per table. */
  async load(db: Kysely<unknown>): Promise<void> {
    for (const work of this.#work.values()) {
      if (work.wanted.size === 0) continue;
      const { spec } = work;
      const { where, parameters } = byKeys(spec, [...work.wanted.values()]);
      const { rows } = await run<Row>(
        db,
        `SELECT * FROM ${qualified(this.schema, spec.name)} WHERE ${where}`,
        parameters,
      );
      for (const raw of rows) {
        const row = normalizeRow<Row>(spec, raw);
        this.cache.set(spec.name, keyOf(spec, row), row);
      }
      for (const k of work.wanted.keys())
        if (this.cache.get(spec.name, k) === undefined) this.cache.set(spec.name, k, null);
      work.wanted.clear();
    }
  }

  /** The current row (as this batch left it), or undefined when it does not exist. */
  get<R>(spec: TableSpec, a: unknown, b?: unknown, c?: unknown): R | undefined {
    const k = keyOfValues(a, b, c);
    const work = this.#table(spec);
    if (work.dirty.has(k)) return (work.dirty.get(k) ?? undefined) as R | undefined;
    const cached = this.cache.get(spec.name, k);
    if (cached === undefined) {
      throw new Error(`projector bug: ${spec.name} ${k} read without being declared`);
    }
    return (cached ?? undefined) as R | undefined;
  }

  /** Writes a whole row (insert or replace). */
  put<R extends object>(spec: TableSpec, row: R): R {
    const k = keyOf(spec, row as Row);
    this.#table(spec).dirty.set(k, row as Row);
    if (!spec.writeOnly) this.cache.set(spec.name, k, row as Row);
    return row;
  }

  remove(spec: TableSpec, a: unknown, b?: unknown, c?: unknown): void {
    const k = keyOfValues(a, b, c);
    this.#table(spec).dirty.set(k, null);
    this.cache.set(spec.name, k, null);
  }

  /** Deletes every row whose `column` equals `value` (e.g. the representatives of a departed member). */
  removeWhere(spec: TableSpec, column: string, value: unknown): void {
    const work = this.#table(spec);
    for (const [k, row] of work.dirty) if (row && row[column] === value) work.dirty.delete(k);
    const cached = this.cache.table(spec.name);
    for (const [k, row] of cached) if (row && row[column] === value) cached.delete(k);
    work.deleteWhere.push({ column, value });
  }

  append<R extends object>(spec: TableSpec, row: R): void {
    this.#table(spec).appended.push(row as Row);
  }

  /** The rows this batch wrote to `spec` (not deleted ones), e.g. to finish derived columns. */
  written<R>(spec: TableSpec): R[] {
    return [...this.#table(spec).dirty.values()].filter((row) => row !== null) as R[];
  }

  /**
   * The writes of everything gathered, as data-modifying parts of one SQL statement (see `commitBatch`),
   * with their parameters numbered from `$1`. Rows travel as one JSON document per table and kind of
   * write, turned into typed records by `json_populate_recordset` (one parse in PostgreSQL, no per-value
   * escaping in Node). Deletes by a column value (rare) come back as separate statements to run first.
   */
  writes(): { before: { text: string; parameters: unknown[] }[]; parts: string[]; parameters: unknown[] } {
    const before: { text: string; parameters: unknown[] }[] = [];
    const parts: string[] = [];
    const parameters: unknown[] = [];
    const parameter = (value: unknown) => {
      parameters.push(value);
      return `$${parameters.length}`;
    };
    for (const work of this.#work.values()) {
      const { spec } = work;
      const target = qualified(this.schema, spec.name);
      const columnList = Object.keys(spec.columns).map(quote).join(', ');
      for (const { column, value } of work.deleteWhere) {
        before.push({ text: `DELETE FROM ${target} WHERE ${quote(column)} = $1`, parameters: [value] });
      }
      const deleted: unknown[][] = [];
      const upserts: Row[] = [];
      for (const [k, row] of work.dirty) {
        if (row) upserts.push(row);
        else deleted.push(k.split(SEPARATOR));
      }
      if (deleted.length > 0) {
        const keyList = spec.primaryKey.map(quote).join(', ');
        const arrays = spec.primaryKey.map(
          (name, i) => `${parameter(deleted.map((key) => key[i]))}::${spec.columns[name]!.sqlType}[]`,
        );
        parts.push(
          `DELETE FROM ${target} WHERE (${keyList}) IN (SELECT * FROM unnest(${arrays.join(', ')}))`,
        );
      }
      if (upserts.length > 0) {
        const updates = Object.keys(spec.columns)
          .filter((name) => !spec.primaryKey.includes(name))
          .map((name) => `${quote(name)} = EXCLUDED.${quote(name)}`)
          .join(', ');
        parts.push(
          `INSERT INTO ${target} (${columnList}) SELECT ${columnList} FROM json_populate_recordset(NULL::${target}, ${parameter(JSON.stringify(upserts))}::json) ON CONFLICT (${spec.primaryKey.map(quote).join(', ')}) DO UPDATE SET ${updates}`,
        );
      }
      if (work.appended.length > 0) {
        parts.push(
          `INSERT INTO ${target} (${columnList}) SELECT ${columnList} FROM json_populate_recordset(NULL::${target}, ${parameter(JSON.stringify(work.appended))}::json)`,
        );
      }
    }
    return { before, parts, parameters };
  }
}
