import { type messages, type PGlite, protocol, types } from '@electric-sql/pglite';
import {
  CompiledQuery,
  type DatabaseConnection,
  type Dialect,
  type Driver,
  PostgresAdapter,
  PostgresIntrospector,
  PostgresQueryCompiler,
  type QueryResult,
  type TransactionSettings,
} from 'kysely';
import { isStaleStatement } from './driver.ts';
import type { WalSync } from './wal-sync.ts';

const { serialize } = protocol;

/** A statement parsed once and kept by name: its parameters' types and its result's columns. */
interface Prepared {
  readonly name: string;
  readonly parameterTypes: readonly number[];
  readonly fields: readonly { name: string; dataTypeID: number }[];
}

type BackendMessage = Awaited<ReturnType<PGlite['execProtocol']>>['messages'][number];

/** Statements kept prepared at most; the least recently used is closed past it. */
const MAX_PREPARED = 500;
const COUNTED_COMMANDS = new Set(['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'COPY']);

const PUT_OFF = Symbol('concord.walFlushPutOff');

/**
 * The statement with its commit's WAL flush put off (ADR 0034): on a durable PGlite, the query answers as
 * soon as its commit is written, and the caller must await `WalSync.flushed()` before telling anyone it is
 * stored. Elsewhere the statement runs as it would.
 */
export function withWalFlushPutOff(query: CompiledQuery): CompiledQuery {
  return Object.freeze({ ...query, [PUT_OFF]: true });
}

/**
 * Each statement text is parsed (and planned) once as a named prepared statement, and every later run is a
 * single call into PGlite with Bind, Execute and Sync. PGlite's own `query` parses, describes, binds,
 * describes and executes in six calls every time: for a short statement that is most of its cost (ADR 0033).
 * Values go in and rows come out through PGlite's own serializers and parsers, as with `query`.
 */
class PreparedStatements {
  readonly #pglite: PGlite;
  readonly #wal: WalSync | undefined;
  /** By statement text; a Map keeps insertion order, so re-inserting on use makes its first key the oldest. */
  readonly #kept = new Map<string, Prepared>();
  /** Statements to close, sent ahead of the next statement parsed. */
  #toClose: string[] = [];
  #counter = 0;

  constructor(pglite: PGlite, wal: WalSync | undefined) {
    this.#pglite = pglite;
    this.#wal = wal;
  }

  async run<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    const kept = this.#kept.get(query.sql);
    if (!kept) return this.#execute<R>(await this.#prepare(query.sql), query);
    this.#kept.delete(query.sql);
    this.#kept.set(query.sql, kept);
    try {
      return await this.#execute<R>(kept, query);
    } catch (error) {
      // A statement whose tables changed shape since it was parsed is parsed again, unless the error left a
      // transaction aborted (then the caller's transaction has failed either way).
      if (!isStaleStatement(error) || this.#pglite.isInTransaction()) throw error;
      this.#forget(query.sql);
      return this.#execute<R>(await this.#prepare(query.sql), query);
    }
  }

  async #prepare(text: string): Promise<Prepared> {
    const name = `concord_${++this.#counter}`;
    const closing = this.#toClose.map((old) => serialize.close({ type: 'S', name: old }));
    this.#toClose = [];
    const { messages } = await this.#exclusive(
      Buffer.concat([
        ...closing,
        serialize.parse({ name, text, types: [] }),
        serialize.describe({ type: 'S', name }),
        serialize.sync(),
      ]),
    );
    let parameterTypes: number[] = [];
    let fields: Prepared['fields'] = [];
    for (const message of messages) {
      if (message.name === 'parameterDescription') {
        parameterTypes = (message as messages.ParameterDescriptionMessage).dataTypeIDs;
      } else if (message.name === 'rowDescription') {
        fields = (message as messages.RowDescriptionMessage).fields.map(({ name, dataTypeID }) => ({
          name,
          dataTypeID,
        }));
      }
    }
    const prepared = { name, parameterTypes, fields };
    this.#kept.set(text, prepared);
    if (this.#kept.size > MAX_PREPARED) this.#forget(this.#kept.keys().next().value as string);
    return prepared;
  }

  #forget(text: string): void {
    const prepared = this.#kept.get(text);
    if (!prepared) return;
    this.#kept.delete(text);
    this.#toClose.push(prepared.name);
  }

  async #execute<R>(prepared: Prepared, query: CompiledQuery): Promise<QueryResult<R>> {
    const { serializers, parsers } = this.#pglite;
    const values = query.parameters.map((value, i) => {
      if (value === null || value === undefined) return null;
      const serializer = serializers[prepared.parameterTypes[i] ?? 0];
      return serializer ? serializer(value) : String(value);
    });
    const { messages } = await this.#exclusive(
      Buffer.concat([
        serialize.bind({ statement: prepared.name, values }),
        serialize.execute({}),
        serialize.sync(),
      ]),
      (query as { [PUT_OFF]?: boolean })[PUT_OFF] === true,
    );
    const { fields } = prepared;
    const rows: R[] = [];
    let numAffectedRows: bigint | undefined;
    for (const message of messages) {
      if (message.name === 'dataRow') {
        const cells = (message as messages.DataRowMessage).fields;
        const row: Record<string, unknown> = {};
        for (let i = 0; i < fields.length; i++) {
          const field = fields[i]!;
          row[field.name] = types.parseType(cells[i] ?? null, field.dataTypeID, parsers);
        }
        rows.push(row as R);
      } else if (message.name === 'commandComplete') {
        numAffectedRows = affectedRows(message);
      }
    }
    return numAffectedRows === undefined ? { rows } : { rows, numAffectedRows };
  }

  /** One call into PGlite, never between the calls of another caller's `query` (they share the unnamed portal). */
  #exclusive(message: Buffer, putOff = false) {
    const wal = putOff ? this.#wal : undefined;
    return this.#pglite.runExclusive(() =>
      wal ? wal.deferring(() => this.#pglite.execProtocol(message)) : this.#pglite.execProtocol(message),
    );
  }
}

function affectedRows(message: BackendMessage): bigint | undefined {
  const words = (message as messages.CommandCompleteMessage).text.split(' ');
  return COUNTED_COMMANDS.has(words[0]!) ? BigInt(words[words.length - 1]!) : undefined;
}

class Connection implements DatabaseConnection {
  constructor(readonly statements: PreparedStatements) {}

  executeQuery<R>(query: CompiledQuery): Promise<QueryResult<R>> {
    return this.statements.run<R>(query);
  }

  async *streamQuery<R>(query: CompiledQuery, chunkSize = 1000): AsyncIterableIterator<QueryResult<R>> {
    const { rows } = await this.statements.run<R>(query);
    for (let i = 0; i < rows.length; i += chunkSize) yield { rows: rows.slice(i, i + chunkSize) };
  }
}

/** PGlite has one session: one connection, lent to one caller (or transaction) at a time. */
class PreparedDriver implements Driver {
  readonly #pglite: PGlite;
  readonly #connection: Connection;
  #lent = false;
  readonly #waiting: ((connection: Connection) => void)[] = [];

  constructor(pglite: PGlite, wal: WalSync | undefined) {
    this.#pglite = pglite;
    this.#connection = new Connection(new PreparedStatements(pglite, wal));
  }

  async init(): Promise<void> {}

  acquireConnection(): Promise<DatabaseConnection> {
    if (!this.#lent) {
      this.#lent = true;
      return Promise.resolve(this.#connection);
    }
    return new Promise((resolve) => this.#waiting.push(resolve));
  }

  async releaseConnection(): Promise<void> {
    const next = this.#waiting.shift();
    if (next) next(this.#connection);
    else this.#lent = false;
  }

  async beginTransaction(connection: DatabaseConnection, settings: TransactionSettings): Promise<void> {
    const isolation = settings.isolationLevel ? ` isolation level ${settings.isolationLevel}` : '';
    await connection.executeQuery(CompiledQuery.raw(`start transaction${isolation}`));
  }

  async commitTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('commit'));
  }

  async rollbackTransaction(connection: DatabaseConnection): Promise<void> {
    await connection.executeQuery(CompiledQuery.raw('rollback'));
  }

  async destroy(): Promise<void> {
    await this.#pglite.close();
  }
}

/** Kysely on PGlite, with every statement kept prepared (ADR 0033). */
export class PglitePreparedDialect implements Dialect {
  /** `wal`: where a durable PGlite's WAL flushes put off are made (`withWalFlushPutOff`). */
  constructor(
    readonly pglite: PGlite,
    readonly wal?: WalSync,
  ) {}

  createAdapter() {
    return new PostgresAdapter();
  }

  createDriver(): Driver {
    return new PreparedDriver(this.pglite, this.wal);
  }

  createQueryCompiler() {
    return new PostgresQueryCompiler();
  }

  createIntrospector(db: Parameters<Dialect['createIntrospector']>[0]) {
    return new PostgresIntrospector(db);
  }
}
