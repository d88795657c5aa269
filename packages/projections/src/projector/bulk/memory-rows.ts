import type { TableSpec } from '../../schema/columns.ts';
import { viewTables } from '../../schema/tables.ts';
import { keyOf, keyOfValues, type Rows } from '../unit-of-work.ts';
import type { BulkSink } from './sink.ts';

type Row = Record<string, unknown>;

/**
 * A rebuild's rows: it starts from empty tables and nothing else writes them, so every entity row lives in
 * memory for the whole rebuild (entities are few next to events) and is written once at the end; nothing is
 * read back from the database. History rows go straight to the sink.
 */
export class MemoryRows implements Rows {
  readonly #tables = new Map<string, Map<string, Row>>();

  constructor(readonly sink: BulkSink) {
    for (const spec of viewTables) if (!spec.appendOnly) this.#tables.set(spec.name, new Map());
  }

  #table(spec: TableSpec): Map<string, Row> {
    const table = this.#tables.get(spec.name);
    if (!table) throw new Error(`projector bug: ${spec.name} is a history table`);
    return table;
  }

  want(): void {}

  get<R>(spec: TableSpec, a: unknown, b?: unknown, c?: unknown): R | undefined {
    return this.#table(spec).get(keyOfValues(a, b, c)) as R | undefined;
  }

  put<R extends object>(spec: TableSpec, row: R): R {
    this.#table(spec).set(keyOf(spec, row as Row), row as Row);
    return row;
  }

  remove(spec: TableSpec, a: unknown, b?: unknown, c?: unknown): void {
    this.#table(spec).delete(keyOfValues(a, b, c));
  }

  removeWhere(spec: TableSpec, column: string, value: unknown): void {
    const table = this.#table(spec);
    for (const [key, row] of table) if (row[column] === value) table.delete(key);
  }

  append<R extends object>(spec: TableSpec, row: R): void {
    this.sink.append(spec, row);
  }

  written<R>(spec: TableSpec): R[] {
    return [...this.#table(spec).values()] as R[];
  }

  /** Hands every entity row to the sink (once, at the end of the rebuild). */
  writeEntities(): void {
    for (const spec of viewTables) {
      const table = this.#tables.get(spec.name);
      if (table) for (const row of table.values()) this.sink.append(spec, row);
    }
  }
}
