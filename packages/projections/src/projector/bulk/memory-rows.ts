import type { Kysely } from 'kysely';
import type { View } from '../../read-models/view.ts';
import type { TableSpec } from '../../schema/columns.ts';
import { viewTables } from '../../schema/tables.ts';
import { byKeys, normalizeRow, qualified, quote, run } from '../sql.ts';
import { keyOf, keyOfValues, type Rows } from '../unit-of-work.ts';
import type { BulkSink } from './sink.ts';

type Row = Record<string, unknown>;

/** One entity table's rows in memory, in the order they came in, and what is kept of it on disk. */
interface Table {
  readonly spec: TableSpec;
  readonly rows: Map<string, Row>;
  /**
   * Keys written since the last write-out: those rows stay in memory at the next one. (Moving a row to the
   * end of `rows` on each write kept them in write order, at a cost: a Map deletes by leaving a hole, and
   * a rebuild's million writes made it rehash its 250,000 rows again and again.)
   */
  readonly recent: Set<string>;
  /** Rows were written out to make room: a row not in memory may be on disk. */
  spilled: boolean;
  /** The primary key's index exists (made at the first spill, so rows are found again by key). */
  indexed: boolean;
  /** Keys the next page reads that are not in memory (only while spilled). */
  readonly wanted: Map<string, readonly unknown[]>;
  /**
   * Rows to delete on disk before more are written out: removed ones, and ones written anew without being
   * read first and not known to be new (their earlier version may be on disk). By key, and by a column's
   * value.
   */
  readonly deleteKeys: Map<string, readonly unknown[]>;
  readonly deleteWhere: { column: string; value: unknown }[];
}

/**
 * A rebuild's rows: it starts from empty tables and nothing else writes them, so entity rows live in
 * memory and are written once, at the end. Memory is bounded all the same: past `maxRows` entity rows,
 * the rows of each table not written lately are written out (finished as at the end: their derived columns
 * depend on the row alone), and a row written out that a later page reads is taken back from the table
 * (`DELETE … RETURNING`, by key, the key's index made at the first spill). History rows go straight to the
 * sink.
 */
export class MemoryRows implements Rows {
  readonly #tables = new Map<string, Table>();
  #count = 0;

  constructor(
    readonly sink: BulkSink,
    readonly maxRows = Number.POSITIVE_INFINITY,
  ) {
    for (const spec of viewTables) {
      if (spec.appendOnly) continue;
      this.#tables.set(spec.name, {
        spec,
        rows: new Map(),
        recent: new Set(),
        spilled: false,
        indexed: false,
        wanted: new Map(),
        deleteKeys: new Map(),
        deleteWhere: [],
      });
    }
  }

  /** Whether rows were written out: pages must then declare what they read (`want`) before applying. */
  get spilled(): boolean {
    for (const table of this.#tables.values()) if (table.spilled) return true;
    return false;
  }

  #table(spec: TableSpec): Table {
    const table = this.#tables.get(spec.name);
    if (!table) throw new Error(`projector bug: ${spec.name} is a history table`);
    return table;
  }

  want(spec: TableSpec, a: unknown, b?: unknown, c?: unknown): void {
    const table = this.#table(spec);
    if (!table.spilled) return;
    const k = keyOfValues(a, b, c);
    if (!table.rows.has(k)) table.wanted.set(k, b === undefined ? [a] : c === undefined ? [a, b] : [a, b, c]);
  }

  get<R>(spec: TableSpec, a: unknown, b?: unknown, c?: unknown): R | undefined {
    return this.#table(spec).rows.get(keyOfValues(a, b, c)) as R | undefined;
  }

  put<R extends object>(spec: TableSpec, row: R, isNew = false): R {
    const table = this.#table(spec);
    const k = keyOf(spec, row as Row);
    const existing = table.rows.get(k);
    if (existing !== row) {
      if (existing === undefined) {
        this.#count++;
        // Written without being read: an older version may be on disk, unless the view knows it is new.
        if (table.spilled && !isNew)
          table.deleteKeys.set(
            k,
            spec.primaryKey.map((column) => (row as Row)[column]),
          );
      }
      table.rows.set(k, row as Row);
    }
    table.recent.add(k);
    return row;
  }

  remove(spec: TableSpec, a: unknown, b?: unknown, c?: unknown): void {
    const table = this.#table(spec);
    const k = keyOfValues(a, b, c);
    if (table.rows.delete(k)) this.#count--;
    table.recent.delete(k);
    if (table.spilled) table.deleteKeys.set(k, b === undefined ? [a] : c === undefined ? [a, b] : [a, b, c]);
  }

  removeWhere(spec: TableSpec, column: string, value: unknown): void {
    const table = this.#table(spec);
    for (const [key, row] of table.rows) {
      if (row[column] === value) {
        table.rows.delete(key);
        table.recent.delete(key);
        this.#count--;
      }
    }
    if (table.spilled) table.deleteWhere.push({ column, value });
  }

  append<R extends object>(spec: TableSpec, row: R): void {
    this.sink.append(spec, row);
  }

  written<R>(spec: TableSpec): R[] {
    return [...this.#table(spec).rows.values()] as R[];
  }

  /** Takes back from disk the rows the next page declared it reads and memory does not hold. */
  async takeBack(db: Kysely<unknown>, schema: string): Promise<void> {
    for (const table of this.#tables.values()) {
      if (table.wanted.size === 0) continue;
      await this.#index(db, schema, table);
      const { where, parameters } = byKeys(table.spec, [...table.wanted.values()]);
      table.wanted.clear();
      const { rows } = await run<Row>(
        db,
        `DELETE FROM ${qualified(schema, table.spec.name)} WHERE ${where} RETURNING *`,
        parameters,
      );
      for (const raw of rows) {
        const row = normalizeRow<Row>(table.spec, raw);
        table.rows.set(keyOf(table.spec, row), row);
        this.#count++;
      }
    }
  }

  /**
   * Runs the deletes of spilled rows, then, past `maxRows`, writes out a fifth of every table's rows, those
   * not written since the last write-out first, finished by `views`, through the sink at once: a later
   * `takeBack` finds them on disk without waiting for the sink's history rows. Call with no write of the
   * sink in progress.
   */
  async spill(db: Kysely<unknown>, schema: string, views: readonly View[]): Promise<void> {
    for (const table of this.#tables.values()) {
      if (table.deleteKeys.size === 0 && table.deleteWhere.length === 0) continue;
      await this.#index(db, schema, table);
      const name = qualified(schema, table.spec.name);
      if (table.deleteKeys.size > 0) {
        const { where, parameters } = byKeys(table.spec, [...table.deleteKeys.values()]);
        table.deleteKeys.clear();
        await run(db, `DELETE FROM ${name} WHERE ${where}`, parameters);
      }
      for (const { column, value } of table.deleteWhere.splice(0)) {
        await run(db, `DELETE FROM ${name} WHERE ${quote(column)} = $1`, [value]);
      }
    }
    if (this.#count <= this.maxRows) return;
    const out = this.#takeOut();
    const leavingRows = finishing(out);
    for (const view of views) view.finish?.(leavingRows);
    for (const table of this.#tables.values())
      for (const row of out.get(table.spec.name) ?? []) this.sink.append(table.spec, row);
    await this.sink.flush(new Set(out.keys()));
  }

  /** A fifth of each table's rows, taken out of memory: rows not written since the last write-out first. */
  #takeOut(): Map<string, Row[]> {
    const out = new Map<string, Row[]>();
    for (const table of this.#tables.values()) {
      const leaving = Math.ceil(table.rows.size / 5);
      if (leaving === 0) continue;
      // Rows not written since the last write-out leave first, in the order they came in; then, if that is
      // not a fifth, the others in the same order.
      const rows: Row[] = [];
      for (const spareRecent of [true, false]) {
        for (const [key, row] of table.rows) {
          if (rows.length >= leaving) break;
          if (spareRecent && table.recent.has(key)) continue;
          table.rows.delete(key);
          rows.push(row);
        }
      }
      table.recent.clear();
      this.#count -= rows.length;
      table.spilled = true;
      out.set(table.spec.name, rows);
    }
    return out;
  }

  /**
   * Writes every entity row still in memory through the sink, a chunk to a flush (a fifth of `maxRows`, at
   * most 20,000 rows), each row let go as it is handed over (once, at the end of the rebuild): the rows and
   * their encoding are never all held at once, which was the rebuild's peak of memory.
   */
  async writeEntities(): Promise<void> {
    const chunk = Math.min(20_000, Math.max(1, Math.ceil(this.maxRows / 5)));
    let handed = 0;
    for (const table of this.#tables.values()) {
      // Deleting the entry just visited is safe while iterating a Map.
      for (const [key, row] of table.rows) {
        this.sink.append(table.spec, row);
        table.rows.delete(key);
        this.#count--;
        if (++handed % chunk === 0) await this.sink.flush();
      }
    }
    await this.sink.flush();
  }

  async #index(db: Kysely<unknown>, schema: string, table: Table): Promise<void> {
    if (table.indexed) return;
    await run(db, primaryKeyIndex(schema, table.spec));
    table.indexed = true;
  }
}

/** The unique index a table's primary key is attached to once the rebuild is done. */
export function primaryKeyIndex(schema: string, spec: TableSpec): string {
  return `CREATE UNIQUE INDEX IF NOT EXISTS "${spec.name}_pkey" ON ${qualified(schema, spec.name)} (${spec.primaryKey.map(quote).join(', ')})`;
}

/** The rows being written out, as the `Rows` a view's `finish` goes through. */
function finishing(rows: Map<string, Row[]>): Rows {
  const refuse = () => {
    throw new Error('projector bug: finish may only go through the rows written');
  };
  return {
    want: refuse,
    get: refuse,
    put: refuse,
    remove: refuse,
    removeWhere: refuse,
    append: refuse,
    written: <R>(spec: TableSpec) => (rows.get(spec.name) ?? []) as R[],
  };
}
