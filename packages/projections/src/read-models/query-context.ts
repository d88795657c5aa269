import type { Kysely, QueryCreator } from 'kysely';
import { normalizeRow } from '../projector/sql.ts';
import type { TableSpec } from '../schema/columns.ts';
import { assertSchemaName } from '../schema/migrate.ts';
import type { ReadModelDatabase } from '../schema/tables.ts';

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
}

/** The query context over the read models in `schema` (a checked identifier). */
export function queryContext(db: Kysely<unknown>, schema: string): QueryContext {
  assertSchemaName(schema);
  const row = <R>(spec: TableSpec, raw: unknown) => normalizeRow<R>(spec, raw as Record<string, unknown>);
  return {
    q: (db as Kysely<ReadModelDatabase>).withSchema(schema),
    rows: (spec, raw) => raw.map((one) => row(spec, one)),
    all: async (spec, query) => (await query.execute()).map((one) => row(spec, one)),
    async first(spec, query) {
      const found = await query.executeTakeFirst();
      return found === undefined ? null : row(spec, found);
    },
  };
}
