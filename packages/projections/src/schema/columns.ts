/**
 * Column specs: one description per column drives the migration (CREATE TABLE), the multi-row writes
 * (typed `unnest` arrays) and the reading back (bigint and timestamptz normalized), so the three agree.
 */

export type SqlType = 'text' | 'bigint' | 'integer' | 'boolean' | 'timestamptz' | 'jsonb';

export interface Column<T> {
  readonly sqlType: SqlType;
  readonly nullable: boolean;
  /** `C` for identifiers: compared and sorted byte by byte (see `col.id`). */
  readonly collation?: 'C';
  /** Phantom: the column's value in memory (numbers for bigint, ISO strings for timestamptz). */
  readonly __type?: T;
}

function column<T>(
  sqlType: SqlType,
  collation?: 'C',
): Column<T> & { nullable: false; orNull(): Column<T | null> } {
  return {
    sqlType,
    nullable: false,
    ...(collation && { collation }),
    orNull: () => ({ sqlType, nullable: true, ...(collation && { collation }) }),
  };
}

/** The column's type as DDL: its SQL type, with its collation when it has one. */
export function columnType(column: Column<unknown>): string {
  return column.collation ? `${column.sqlType} COLLATE "${column.collation}"` : column.sqlType;
}

export const col = {
  text: <T extends string = string>() => column<T>('text'),
  /**
   * An identifier (a uuid, a stream id, an event type): text in byte order. Ids have no linguistic order,
   * and byte comparison is what makes their keys and indexes cheap to build and to search (a rebuild sorts
   * a million audit rows by several of them).
   */
  id: <T extends string = string>() => column<T>('text', 'C'),
  /** Money in minor units and global positions: bigint in SQL, a safe integer in memory. */
  bigint: () => column<number>('bigint'),
  integer: () => column<number>('integer'),
  boolean: () => column<boolean>('boolean'),
  /** An instant: timestamptz in SQL, an ISO-8601 string in memory. */
  time: () => column<string>('timestamptz'),
  json: <T>() => column<T>('jsonb'),
};

export type Columns = Record<string, Column<unknown>>;

export interface TableSpec<C extends Columns = Columns, N extends string = string> {
  readonly name: N;
  readonly columns: C;
  readonly primaryKey: readonly string[];
  /** Secondary indexes: created by the migration, dropped during a rebuild and created again at its end. */
  readonly indexes: readonly {
    readonly name: string;
    readonly columns: readonly string[];
    readonly where?: string;
  }[];
  /** Rows only ever appended (history): written with plain INSERTs. */
  readonly appendOnly?: boolean;
  /** Rows written whole and never read back by the projector: not kept in its cache. */
  readonly writeOnly?: boolean;
}

export type RowOf<T extends TableSpec> = {
  -readonly [K in keyof T['columns']]: T['columns'][K] extends Column<infer V> ? V : never;
};

export function table<const C extends Columns, const N extends string>(
  spec: TableSpec<C, N> & { readonly primaryKey: readonly (keyof C & string)[] },
): TableSpec<C, N> {
  return spec;
}

/** A read model's tables as Kysely sees them: each table's name to its row type. */
export type TablesOf<Specs extends TableSpec> = { [Spec in Specs as Spec['name']]: RowOf<Spec> };
