import { copyIn, driverOf, pgliteCopyIn, pgliteExclusive } from '@concord/event-store';
import type { Kysely } from 'kysely';
import type { TableSpec } from '../../schema/columns.ts';
import { qualified, quote, run } from '../sql.ts';
import { CopyEncoder } from './copy-encoder.ts';

type Row = Record<string, unknown>;

/** Where a rebuild's rows go: appended as they are made, written in one go per table at each flush. */
export interface BulkSink {
  append(spec: TableSpec, row: object): void;
  /** Rows appended so far, by table name. */
  readonly counts: Map<string, number>;
  /**
   * Writes what was appended since the last flush (each table in its own transaction): to the tables
   * named in `only`, when it is given.
   */
  flush(only?: ReadonlySet<string>): Promise<void>;
  /** Releases the connection; after an error too. */
  close(): Promise<void>;
}

/** Rows encoded in binary COPY format as they come, written with one COPY per table at each flush. */
class CopySink implements BulkSink {
  readonly #encoders = new Map<string, CopyEncoder>();
  readonly counts = new Map<string, number>();

  constructor(
    readonly schema: string,
    readonly write: (text: string, blocks: Buffer[]) => Promise<void>,
    readonly release: () => Promise<void>,
  ) {}

  append(spec: TableSpec, row: object): void {
    let encoder = this.#encoders.get(spec.name);
    if (!encoder) {
      encoder = new CopyEncoder(spec);
      this.#encoders.set(spec.name, encoder);
    }
    encoder.add(row as Row);
  }

  async flush(only?: ReadonlySet<string>): Promise<void> {
    // What was appended so far, taken at once: rows appended while this flush writes wait for the next.
    const copies: { text: string; blocks: Buffer[] }[] = [];
    for (const encoder of this.#encoders.values()) {
      if (only && !only.has(encoder.spec.name)) continue;
      const rows = encoder.rows;
      const blocks = encoder.take();
      if (!blocks) continue;
      this.counts.set(encoder.spec.name, (this.counts.get(encoder.spec.name) ?? 0) + rows);
      copies.push({
        text: `COPY ${qualified(this.schema, encoder.spec.name)} (${encoder.columnList}) FROM %SOURCE% (FORMAT binary)`,
        blocks,
      });
    }
    // One table after the other: one connection, one statement at a time.
    for (const { text, blocks } of copies) await this.write(text, blocks);
  }

  close(): Promise<void> {
    return this.release();
  }
}

/** Without a known driver: rows as JSON documents through `json_populate_recordset`, the live path's way. */
class JsonSink implements BulkSink {
  #rows = new Map<TableSpec, Row[]>();
  readonly counts = new Map<string, number>();

  constructor(
    readonly db: Kysely<unknown>,
    readonly schema: string,
  ) {}

  append(spec: TableSpec, row: object): void {
    let rows = this.#rows.get(spec);
    if (!rows) {
      rows = [];
      this.#rows.set(spec, rows);
    }
    rows.push(row as Row);
  }

  async flush(only?: ReadonlySet<string>): Promise<void> {
    // Taken at once, as in CopySink: rows appended while this flush writes wait for the next.
    const taken = [...this.#rows].filter(([spec]) => !only || only.has(spec.name));
    for (const [spec] of taken) this.#rows.delete(spec);
    for (const [spec, rows] of taken) {
      this.counts.set(spec.name, (this.counts.get(spec.name) ?? 0) + rows.length);
      const target = qualified(this.schema, spec.name);
      const columnList = Object.keys(spec.columns).map(quote).join(', ');
      for (let i = 0; i < rows.length; i += 5000) {
        await run(
          this.db,
          `INSERT INTO ${target} (${columnList}) SELECT ${columnList} FROM json_populate_recordset(NULL::${target}, $1::json)`,
          [JSON.stringify(rows.slice(i, i + 5000))],
        );
      }
    }
  }

  async close(): Promise<void> {}
}

/**
 * A sink writing with binary COPY on the driver `db` was opened with (`pg`: a dedicated connection with
 * asynchronous commit; PGlite: `COPY … FROM STDIN` through its wire protocol), or with plain INSERTs when
 * it is unknown.
 */
export async function openSink(db: Kysely<unknown>, schema: string): Promise<BulkSink> {
  const driver = driverOf(db);
  if (driver?.kind === 'pg') {
    const client = await driver.pool.connect();
    let broken: Error | undefined;
    try {
      await client.query('SET synchronous_commit = off');
    } catch (error) {
      client.release(error as Error);
      throw error;
    }
    return new CopySink(
      schema,
      (text, blocks) =>
        copyIn(client, text.replace('%SOURCE%', 'STDIN'), blocks).catch((error: Error) => {
          broken = error;
          throw error;
        }),
      async () => {
        if (!broken) {
          try {
            await client.query('RESET synchronous_commit');
          } catch (error) {
            broken = error as Error;
          }
        }
        client.release(broken);
      },
    );
  }
  if (driver?.kind === 'pglite') {
    const { pglite } = driver;
    return new CopySink(
      schema,
      async (text, blocks) => {
        await pgliteExclusive(db, () => pgliteCopyIn(pglite, text.replace('%SOURCE%', 'STDIN'), blocks));
      },
      async () => {},
    );
  }
  return new JsonSink(db, schema);
}
