import { CompiledQuery, type Kysely, type QueryResult } from 'kysely';
import type { SqlType, TableSpec } from '../schema/columns.ts';

/** Runs one SQL text with positional parameters: the projector's hot paths skip the query builder. */
export function run<R = Record<string, unknown>>(
  db: Kysely<unknown>,
  text: string,
  parameters: readonly unknown[] = [],
): Promise<QueryResult<R>> {
  return db.executeQuery<R>(CompiledQuery.raw(text, [...parameters]));
}

export const quote = (identifier: string) => `"${identifier}"`;
export const qualified = (schema: string, table: string) => `${quote(schema)}.${quote(table)}`;

const arrayType: Record<SqlType, string> = {
  text: 'text[]',
  bigint: 'bigint[]',
  integer: 'integer[]',
  boolean: 'boolean[]',
  timestamptz: 'timestamptz[]',
  jsonb: 'jsonb[]',
};

/** `unnest` over one typed array parameter per column (for key lists of any length). */
export function unnestOf(spec: TableSpec, names: readonly string[], offset = 0): string {
  return `unnest(${names.map((name, i) => `$${i + 1 + offset}::${arrayType[spec.columns[name]!.sqlType]}`).join(', ')})`;
}

/**
 * `(key columns) IN (…)` over the given keys (each the primary key's values in order), with the keys as
 * one array parameter per key column: how rows are picked by key, whatever their number.
 */
export function byKeys(
  spec: TableSpec,
  keys: readonly (readonly unknown[])[],
): { where: string; parameters: unknown[][] } {
  const keyList = spec.primaryKey.map(quote).join(', ');
  return {
    where: `(${keyList}) IN (SELECT * FROM ${unnestOf(spec, spec.primaryKey)})`,
    parameters: spec.primaryKey.map((_, index) => keys.map((key) => key[index])),
  };
}

/** Turns a row as the driver returns it into its in-memory shape: numbers for bigints, ISO strings for times. */
export function normalizeRow<R>(spec: TableSpec, raw: Record<string, unknown>): R {
  const row: Record<string, unknown> = {};
  for (const name in spec.columns) {
    const value = raw[name];
    const column = spec.columns[name]!;
    if (value === null || value === undefined) row[name] = null;
    else if (column.sqlType === 'bigint') row[name] = Number(value);
    else if (column.sqlType === 'timestamptz')
      row[name] = value instanceof Date ? value.toISOString() : new Date(value as string).toISOString();
    else row[name] = value;
  }
  return row as R;
}
