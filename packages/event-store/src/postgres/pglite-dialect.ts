import {
  type CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  type Kysely,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import type { PgliteThread } from './pglite-thread.ts';

/**
 * Kysely on PGlite in its own thread (ADR 0030). Unlike a single shared connection, each caller gets a
 * connection of its own and its statements go to the thread at once, so the thread always has the next
 * statement queued; a transaction's statements carry its id, and the thread runs nothing else until it
 * ends.
 */
export class PgliteThreadDialect implements Dialect {
  constructor(private readonly thread: PgliteThread) {}

  createAdapter() {
    return new PostgresAdapter();
  }

  createDriver(): Driver {
    return new PgliteThreadDriver(this.thread);
  }

  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }

  createIntrospector(db: Kysely<unknown>) {
    return new PostgresIntrospector(db);
  }
}

let transactions = 0;

class PgliteThreadConnection implements DatabaseConnection {
  /** The transaction this connection is in, if any. */
  tx: number | null = null;

  constructor(private readonly thread: PgliteThread) {}

  async executeQuery<R>(compiled: CompiledQuery): Promise<QueryResult<R>> {
    return this.run<R>(compiled.sql, [...compiled.parameters]);
  }

  async run<R>(sql: string, parameters: unknown[] = [], place: { begins?: boolean; ends?: boolean } = {}) {
    const tx = this.tx === null ? undefined : { id: this.tx, ...place };
    const result = await this.thread.query<R>(sql, parameters, undefined, tx);
    // As PGlite's own Kysely dialect reports it: a count only where rows were affected.
    return result.affectedRows
      ? { rows: result.rows, numAffectedRows: BigInt(result.affectedRows) }
      : { rows: result.rows };
  }

  /** No cursor: the rows come in one answer, handed out in chunks. */
  async *streamQuery<R>(compiled: CompiledQuery, chunkSize = 1000): AsyncIterableIterator<QueryResult<R>> {
    const { rows } = await this.executeQuery<R>(compiled);
    for (let index = 0; index < rows.length; index += chunkSize)
      yield { rows: rows.slice(index, index + chunkSize) };
  }
}

class PgliteThreadDriver implements Driver {
  constructor(private readonly thread: PgliteThread) {}

  async init(): Promise<void> {}

  async acquireConnection(): Promise<DatabaseConnection> {
    return new PgliteThreadConnection(this.thread);
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const own = connection as PgliteThreadConnection;
    own.tx = ++transactions;
    const modes = [
      settings.isolationLevel ? `isolation level ${settings.isolationLevel}` : '',
      settings.accessMode ?? '',
    ].filter(Boolean);
    await own.run(modes.length > 0 ? `start transaction ${modes.join(', ')}` : 'begin', [], { begins: true });
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await this.#end(connection as PgliteThreadConnection, 'commit');
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await this.#end(connection as PgliteThreadConnection, 'rollback');
  }

  async releaseConnection(): Promise<void> {}

  async destroy(): Promise<void> {
    await this.thread.close();
  }

  async #end(connection: PgliteThreadConnection, statement: 'commit' | 'rollback'): Promise<void> {
    try {
      await connection.run(statement, [], { ends: true });
    } finally {
      connection.tx = null;
    }
  }
}
