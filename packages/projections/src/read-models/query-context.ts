import type { Kysely, QueryCreator } from 'kysely';
import { normalizeRow } from '../projector/sql.ts';
import type { RowOf, TableSpec } from '../schema/columns.ts';
import { assertSchemaName } from '../schema/migrate.ts';
import type { ReadModelDatabase } from '../schema/tables.ts';

/** A column of `Row` to sort by: ascending, or with its direction. */
export type OrderBy<Row> = (keyof Row & string) | readonly [keyof Row & string, 'asc' | 'desc'];

/** What every read model's queries are given: the read-model schema and the rows read back normalized. */
export interface QueryContext {
  /** Kysely queries in the read-model schema. */
  readonly q: QueryCreator<ReadModelDatabase>;
  /** Rows as the driver returned them, normalized (bigints to numbers, times to ISO strings). */
  rows<R>(spec: TableSpec, raw: readonly unknown[]): R[];
  /** Every row `query` finds, normalized. */
  all<R>(spec: TableSpec, query: { execute(): Promise<readonly unknown[]> }): Promise<R[]>;
  /** The first row `query` finds, normalized; null when it finds none. */
  first<R>(spec: TableSpec, query: { executeTakeFirst(): Promise<unknown> }): Promise<R | null>;
  /** Every row of `spec`'s table, normalized, in the order of `orderBy`. */
  allOf<S extends TableSpec>(spec: S, ...orderBy: OrderBy<RowOf<S>>[]): Promise<RowOf<S>[]>;
  /** The rows of `spec`'s table whose `column` is `value`, normalized, in the order of `orderBy`. */
  allWhere<S extends TableSpec, K extends keyof RowOf<S> & string>(
    spec: S,
    column: K,
    value: RowOf<S>[K],
    ...orderBy: OrderBy<RowOf<S>>[]
  ): Promise<RowOf<S>[]>;
  /** The first row of `spec`'s table whose `column` is `value`, normalized; null when there is none. */
  firstWhere<S extends TableSpec, K extends keyof RowOf<S> & string>(
    spec: S,
    column: K,
    value: RowOf<S>[K],
  ): Promise<RowOf<S> | null>;
}

/** The query context over the read models in `schema` (a checked identifier). */
export function queryContext(db: Kysely<unknown>, schema: string): QueryContext {
  assertSchemaName(schema);
  const row = <R>(spec: TableSpec, raw: unknown) => normalizeRow<R>(spec, raw as Record<string, unknown>);
  const q = (db as Kysely<ReadModelDatabase>).withSchema(schema);
  // The table and its columns come from `spec` (checked against its rows by the signatures above), which
  // Kysely's own types cannot follow from a spec to a table of the schema.
  const from = (spec: TableSpec) =>
    (q as unknown as QueryCreator<Record<string, Record<string, unknown>>>).selectFrom(spec.name).selectAll();
  const where = (spec: TableSpec, column: string, value: unknown) => from(spec).where(column, '=', value);
  type Query = ReturnType<typeof from>;
  const ordered = (query: Query, orderBy: readonly OrderBy<Record<string, unknown>>[]) => {
    let sorted = query;
    for (const order of orderBy) {
      sorted = typeof order === 'string' ? sorted.orderBy(order) : sorted.orderBy(order[0], order[1]);
    }
    return sorted;
  };
  const all: QueryContext['all'] = async (spec, query) =>
    (await query.execute()).map((one) => row(spec, one));
  const first: QueryContext['first'] = async (spec, query) => {
    const found = await query.executeTakeFirst();
    return found === undefined ? null : row(spec, found);
  };
  return {
    q,
    rows: (spec, raw) => raw.map((one) => row(spec, one)),
    all,
    first,
    allOf: (spec, ...orderBy) => all(spec, ordered(from(spec), orderBy)),
    allWhere: (spec, column, value, ...orderBy) => all(spec, ordered(where(spec, column, value), orderBy)),
    firstWhere: (spec, column, value) => first(spec, where(spec, column, value)),
  };
}
