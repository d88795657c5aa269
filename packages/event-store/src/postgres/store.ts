import { CompiledQuery, type Kysely, sql } from 'kysely';
import {
  ConcurrencyError,
  EventIdConflictError,
  InvalidAppendError,
  StreamNotFoundError,
} from '../errors.ts';
import { contentDigest } from '../hash.ts';
import { assertStreamId } from '../stream-id.ts';
import { AppendSignal, pollingSubscription } from '../subscription.ts';
import type {
  AppendOptions,
  AppendResult,
  EventHandler,
  EventStore,
  ExpectedVersion,
  NewEvent,
  ReadAllOptions,
  ReadStreamOptions,
  RecordedEvent,
  RecordedStreamHead,
  ScanOptions,
  StoredEventPage,
  SubscribeOptions,
  Subscription,
  VerifyResult,
} from '../types.ts';
import { unchangedStreams } from '../unchanged.ts';
import { verifyEvents } from '../verify.ts';
import {
  type AppendCall,
  AppendQueue,
  type AppendRow,
  appendStatement,
  appendValues,
  isChecked,
  poolRunner,
} from './append-queue.ts';
import { driverOf } from './driver.ts';
import { withWalFlushPutOff } from './pglite-dialect.ts';
import { type RewriteOptions, type RewrittenEvent, rewriteStoredEvents } from './rewrite.ts';
import { type EventRow, toRecorded } from './rows.ts';
import { scanEvents } from './scan.ts';
import {
  assertSchemaName,
  type EventStoreTables,
  migrateEventStore,
  POSITIONS_PER_TRANSACTION,
  SAFE_HORIZON_SQL,
} from './schema.ts';

export interface PostgresEventStoreOptions {
  /** Schema holding the store's tables; `eventstore` by default. */
  schema?: string;
  /** How often an idle subscription looks for events appended by other processes. */
  pollIntervalMs?: number;
  /** Called by `close()`, e.g. to end the pool or PGlite instance the store owns. */
  onClose?: () => Promise<void>;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const DEFAULT_LIMIT = 1000;

/** Bigints arrive as strings from `pg` and as numbers from PGlite. */
const toNumber = (value: string | number | bigint): number => Number(value);

function expectation(expected: ExpectedVersion): [kind: string, version: number] {
  if (typeof expected === 'number') {
    if (!Number.isSafeInteger(expected) || expected < 0) {
      throw new InvalidAppendError(`Expected version must be a whole number ≥ 0, got ${expected}`);
    }
    return expected === 0 ? ['no_stream', 0] : ['version', expected];
  }
  return [expected, 0];
}

interface DatabaseError {
  code?: string;
  detail?: string;
}

/**
 * The PostgreSQL event store, on a Kysely instance over `pg` or PGlite.
 * Call `migrate()` once before use (the `open…` helpers do).
 */
export class PostgresEventStore implements EventStore {
  readonly #db: Kysely<EventStoreTables>;
  /** The instance as given (its driver is registered under it; `withSchema` makes a new one). */
  readonly #root: Kysely<unknown>;
  readonly #schema: string;
  readonly #signal = new AppendSignal();
  readonly #pollIntervalMs: number;
  readonly #onClose: (() => Promise<void>) | undefined;
  readonly #subscriptions = new Set<Subscription>();
  /** Reads of the global order in flight, by the position they read after (see `readAll`). */
  readonly #reading = new Map<string, { limit: number; read: Promise<RecordedEvent[]> }>();
  /** Appends grouped under load (pg pool or PGlite); null on other drivers, undefined until the first append. */
  #queue: AppendQueue | null | undefined;

  constructor(db: Kysely<unknown>, options: PostgresEventStoreOptions = {}) {
    this.#schema = options.schema ?? 'eventstore';
    assertSchemaName(this.#schema);
    this.#root = db;
    this.#db = (db as Kysely<EventStoreTables>).withSchema(this.#schema);
    this.#pollIntervalMs = options.pollIntervalMs ?? 200;
    this.#onClose = options.onClose;
  }

  /**
   * One append, through the append function, by way of the `AppendQueue`. On a `pg` pool it groups appends
   * waiting for a connection into one call once a quarter of the pool is busy appending (the rest of the
   * pool stays free for reads). On PGlite (one connection) the appends that arrive while one runs go out
   * together next, so they share one commit and one WAL flush (ADR 0010), made off PGlite's thread (ADR 0034).
   */
  async #callAppend(call: AppendCall): Promise<AppendRow> {
    if (this.#queue === undefined) {
      const driver = driverOf(this.#root);
      this.#queue =
        driver?.kind === 'pg'
          ? new AppendQueue(
              poolRunner(driver.pool),
              this.#schema,
              Math.max(1, Math.floor((driver.pool.options.max ?? 10) / 4)),
            )
          : driver?.kind === 'pglite'
            ? new AppendQueue(
                async <Row>({ text, values }: { text: string; values: unknown[] }) => {
                  // The commit's WAL flush is made on the thread pool, PGlite free for other statements
                  // meanwhile; the append is answered once it is on disk (ADR 0034).
                  const query = withWalFlushPutOff(CompiledQuery.raw(text, values));
                  const { rows } = await this.#root.executeQuery<Row>(query);
                  await driver.wal?.flushed();
                  return rows as Row[];
                },
                this.#schema,
                1,
              )
            : null;
    }
    if (this.#queue) return this.#queue.submit(call);
    const result = await this.#root.executeQuery<AppendRow>(
      CompiledQuery.raw(appendStatement(this.#schema, isChecked(call)), appendValues(call)),
    );
    return result.rows[0]!;
  }

  get schema(): string {
    return this.#schema;
  }

  /** Creates or upgrades the tables; safe to call on every start. */
  async migrate(): Promise<void> {
    await migrateEventStore(this.#db as unknown as Kysely<unknown>, this.#schema);
  }

  async append(
    streamId: string,
    events: readonly NewEvent[],
    options: AppendOptions = {},
  ): Promise<AppendResult> {
    if (events.length === 0) throw new InvalidAppendError('An append needs at least one event.');
    assertStreamId(streamId);
    for (const event of events) {
      if (!UUID.test(event.id)) throw new InvalidAppendError(`Event id "${event.id}" is not a UUID.`);
      if (!event.type) throw new InvalidAppendError('Every event needs a type.');
    }
    const expected = options.expectedVersion ?? 'any';
    const [kind, version] = expectation(expected);
    const unchanged = unchangedStreams(options.unchanged);
    const ids: string[] = [];
    const types: string[] = [];
    const data: string[] = [];
    const metadata: string[] = [];
    const digests = Buffer.allocUnsafe(32 * events.length);
    events.forEach((e, i) => {
      const id = e.id.toLowerCase();
      const dataJson = JSON.stringify(e.data ?? null);
      const metadataJson = JSON.stringify(e.metadata ?? {});
      ids.push(id);
      types.push(e.type);
      data.push(dataJson);
      metadata.push(metadataJson);
      contentDigest({ streamId, id, type: e.type, dataJson, metadataJson }).copy(digests, 32 * i);
    });
    try {
      const row = await this.#callAppend({
        streamId,
        kind,
        version,
        ids,
        types,
        data,
        metadata,
        digests,
        unchanged,
      });
      this.#signal.notify();
      return {
        nextExpectedVersion: toNumber(row.next_version),
        lastGlobalPosition: toNumber(row.last_position),
        alreadyAppended: false,
      };
    } catch (error) {
      const { code, detail } = (error ?? {}) as DatabaseError;
      // Only a refused append can be a retry; checking then keeps the common path to one round trip.
      if (code === 'CN001' || code === 'CN005' || code === '23505') {
        const retry = await this.#findRetry(streamId, ids);
        if (retry) return retry;
      }
      switch (code) {
        case 'CN001':
          throw new ConcurrencyError(streamId, expected, Number(detail));
        case 'CN005': {
          // The version found, then the stream's id.
          const space = detail?.indexOf(' ') ?? -1;
          const moved = detail!.slice(space + 1);
          const at = options.unchanged?.find((check) => check.streamId === moved)?.version ?? 0;
          throw new ConcurrencyError(moved, at, Number(detail!.slice(0, space)));
        }
        case '23505':
          throw new EventIdConflictError(streamId, ids.find((id) => detail?.includes(id)) ?? ids[0]!);
        case 'CN003':
          throw new InvalidAppendError('An append must be the first write of its transaction.');
        case 'CN004':
          throw new InvalidAppendError(`An append takes 1 to ${POSITIONS_PER_TRANSACTION - 1} events.`);
        case '22P02':
          throw new InvalidAppendError('An event id or payload is malformed.');
        default:
          throw error;
      }
    }
  }

  /**
   * When every id of a refused append is already stored in this stream, consecutively and in order,
   * the append is a retry and succeeds as it did the first time. Any other stored id is a conflict.
   */
  async #findRetry(streamId: string, ids: string[]): Promise<AppendResult | undefined> {
    const found = await this.#db
      .selectFrom('events')
      .select(['event_id', 'stream_id', 'stream_position', 'global_position'])
      .where('event_id', 'in', ids)
      .execute();
    if (found.length === 0) return undefined;
    const byId = new Map(found.map((row) => [row.event_id, row]));
    const first = byId.get(ids[0]!);
    const isRetry =
      found.length === ids.length &&
      first !== undefined &&
      ids.every((id, i) => {
        const row = byId.get(id);
        return (
          row?.stream_id === streamId && toNumber(row.stream_position) === toNumber(first.stream_position) + i
        );
      });
    if (!isRetry) throw new EventIdConflictError(streamId, found[0]!.event_id);
    const head = await this.#db
      .selectFrom('streams')
      .select('version')
      .where('stream_id', '=', streamId)
      .executeTakeFirstOrThrow();
    return {
      nextExpectedVersion: toNumber(head.version),
      lastGlobalPosition: toNumber(byId.get(ids.at(-1)!)!.global_position),
      alreadyAppended: true,
    };
  }

  #columns() {
    return [
      'global_position',
      'stream_id',
      'stream_position',
      'event_id',
      'type',
      'data',
      'metadata',
      'recorded_at',
      sql<string>`encode(hash, 'hex')`.as('hash'),
    ] as const;
  }

  async readStream(streamId: string, options: ReadStreamOptions = {}): Promise<RecordedEvent[]> {
    const backwards = options.direction === 'backwards';
    let query = this.#db
      .selectFrom('events')
      .select(this.#columns())
      .where('stream_id', '=', streamId)
      .orderBy('stream_position', backwards ? 'desc' : 'asc');
    if (options.from !== undefined)
      query = query.where('stream_position', backwards ? '<=' : '>=', options.from);
    if (options.limit !== undefined) query = query.limit(options.limit);
    const rows = (await query.execute()) as EventRow[];
    if (rows.length === 0) {
      const exists = await this.#db
        .selectFrom('streams')
        .select('version')
        .where('stream_id', '=', streamId)
        .executeTakeFirst();
      if (!exists) throw new StreamNotFoundError(streamId);
    }
    return rows.map(toRecorded);
  }

  /**
   * Only events below the oldest running transaction's positions are returned (see schema.ts), so
   * what is returned is always a prefix of the final global order: an append that commits late is
   * delivered late, never skipped.
   */
  /**
   * One read of the global order answers every caller that asks for the same page while it runs: after an
   * append, the projector and every subscription of this process ask for the events after the same head
   * at once, and one query serves them all. A page that came back short held everything readable when it
   * was read, so it answers a caller that asked for more; a full page answers only smaller asks.
   */
  async readAll(options: ReadAllOptions = {}): Promise<RecordedEvent[]> {
    const after = options.after ?? 0;
    const limit = options.limit ?? DEFAULT_LIMIT;
    const key = String(after);
    const running = this.#reading.get(key);
    if (running) {
      const page = await running.read;
      if (page.length < running.limit || page.length >= limit)
        return page.length > limit ? page.slice(0, limit) : [...page];
    }
    const read = this.#readPage(after, limit);
    const entry = { limit, read };
    if (!running) this.#reading.set(key, entry);
    try {
      return [...(await read)];
    } finally {
      if (this.#reading.get(key) === entry) this.#reading.delete(key);
    }
  }

  async #readPage(after: number, limit: number): Promise<RecordedEvent[]> {
    const rows = (await this.#db
      .selectFrom('events')
      .select(this.#columns())
      .where('global_position', '>', after)
      // `+ 0` keeps the horizon out of the index condition: a two-sided range on a table without
      // statistics (autovacuum off) is estimated tiny, and the planner would sort every later event.
      .where(sql<number>`global_position + 0`, '<', sql<number>`(select ${sql.raw(SAFE_HORIZON_SQL)})`)
      .orderBy('global_position')
      .limit(limit)
      .execute()) as EventRow[];
    return rows.map(toRecorded);
  }

  /**
   * Positions and stored hashes (32 raw bytes) of the events after `after`, in global order, only below
   * the safe horizon like `readAll`: what a witnessed log's feeder needs, without data or metadata.
   */
  async readHashes(options: ReadAllOptions = {}): Promise<{ globalPosition: number; hash: Uint8Array }[]> {
    // One row: each event's position (8 bytes) and hash (32) packed, so a page of thousands costs one
    // value to transfer and decode rather than a row each.
    const events = sql.table(`${this.#schema}.events`);
    const { rows } = await sql<{ packed: Uint8Array | null }>`
      SELECT string_agg(int8send(t.global_position) || t.hash, ''::bytea ORDER BY t.global_position) AS packed
      FROM (
        SELECT global_position, hash FROM ${events}
        WHERE global_position > ${options.after ?? 0}
          AND global_position + 0 < (select ${sql.raw(SAFE_HORIZON_SQL)})
        ORDER BY global_position LIMIT ${options.limit ?? DEFAULT_LIMIT}
      ) t`.execute(this.#root);
    const packed = rows[0]?.packed;
    if (!packed) return [];
    const view = new DataView(packed.buffer, packed.byteOffset, packed.byteLength);
    const out: { globalPosition: number; hash: Uint8Array }[] = new Array(packed.length / 40);
    for (let i = 0; i < out.length; i++) {
      out[i] = {
        globalPosition: Number(view.getBigInt64(40 * i)),
        hash: packed.subarray(40 * i + 8, 40 * i + 40),
      };
    }
    return out;
  }

  /**
   * The port's bulk read. It reads with `COPY` when the database was opened with `openPostgres` or
   * `openPglite` (plain pages otherwise), and does not check the safe horizon per page, so `until` must be
   * a position that `head()` or `readAll` returned.
   */
  scan(options: ScanOptions): AsyncGenerator<StoredEventPage> {
    return scanEvents(this.#root, this.#schema, options);
  }

  /**
   * `ANALYZE` of the events table. Without statistics (autovacuum off, or a bulk load it has not caught up
   * with) PostgreSQL plans `readAll` as a sort of every later event for each page, which makes a full
   * replay quadratic.
   */
  async analyze(): Promise<void> {
    await sql`ANALYZE ${sql.id(this.#schema, 'events')}`.execute(this.#root);
  }

  onAppended(listener: () => void): () => void {
    return this.#signal.listen(listener);
  }

  subscribe(options: SubscribeOptions, handler: EventHandler): Subscription {
    const subscription = pollingSubscription(
      (o) => this.readAll(o),
      this.#signal,
      { ...options, pollIntervalMs: this.#pollIntervalMs },
      handler,
    );
    this.#subscriptions.add(subscription);
    subscription.done.finally(() => this.#subscriptions.delete(subscription)).catch(() => {});
    return subscription;
  }

  async streamVersion(streamId: string): Promise<number> {
    const row = await this.#db
      .selectFrom('streams')
      .select('version')
      .where('stream_id', '=', streamId)
      .executeTakeFirst();
    return row ? Number(row.version) : 0;
  }

  async streamVersions(prefix: string): Promise<Map<string, number>> {
    const pattern = `${prefix.replaceAll('\\', '\\\\').replaceAll('%', '\\%').replaceAll('_', '\\_')}%`;
    const rows = await this.#db
      .selectFrom('streams')
      .select(['stream_id', 'version'])
      .where('stream_id', 'like', pattern)
      .execute();
    return new Map(rows.map((row) => [row.stream_id, Number(row.version)]));
  }

  async head(): Promise<number> {
    const row = await this.#db
      .selectFrom('events')
      .select('global_position')
      .where('global_position', '<', sql<number>`(select ${sql.raw(SAFE_HORIZON_SQL)})`)
      .orderBy('global_position', 'desc')
      .limit(1)
      .executeTakeFirst();
    return row ? toNumber(row.global_position) : 0;
  }

  /**
   * Every stored event in global order, regardless of running transactions; for audits and exports.
   * @param until the last global position to return (all when omitted).
   */
  allStored(pageSize = 5000, until?: number): AsyncGenerator<RecordedEvent> {
    return this.#allStored(this.#db, pageSize, until);
  }

  async *#allStored(
    db: Kysely<EventStoreTables>,
    pageSize: number,
    until: number | undefined,
  ): AsyncGenerator<RecordedEvent> {
    let after = 0;
    for (;;) {
      let query = db
        .selectFrom('events')
        .select(this.#columns())
        .where('global_position', '>', after)
        .orderBy('global_position')
        .limit(pageSize);
      if (until !== undefined) query = query.where('global_position', '<=', until);
      const rows = (await query.execute()) as EventRow[];
      for (const row of rows) yield toRecorded(row);
      if (rows.length < pageSize) return;
      after = toNumber(rows[rows.length - 1]!.global_position);
    }
  }

  /**
   * Every stream's recorded head (the `streams` table: what the append functions left) as of `until`, a
   * page of streams at a time in byte order of their ids. A stream whose recorded head event lies beyond
   * `until` was appended to since: it is given as its last event at or before `until` (or left out when it
   * has none). A recorded head whose event is missing is given as recorded, so a check against the events
   * names it.
   */
  streamHeads(until: number, pageSize = 5000): AsyncGenerator<RecordedStreamHead> {
    return this.#streamHeads(this.#root, until, pageSize);
  }

  async *#streamHeads(
    db: Kysely<unknown>,
    until: number,
    pageSize: number,
  ): AsyncGenerator<RecordedStreamHead> {
    const streams = sql.table(`${this.#schema}.streams`);
    const events = sql.table(`${this.#schema}.events`);
    // `streams.stream_id` is COLLATE "C" and `events.stream_id` is not: comparing them names the events'
    // collation, so the events' (stream_id, stream_position) key serves the join.
    let after = '';
    for (;;) {
      const { rows } = await sql<{ stream_id: string; version: string | number; hash: string }>`
        SELECT s.stream_id,
          CASE WHEN h.global_position > ${until} THEN l.stream_position ELSE s.version END AS version,
          encode(CASE WHEN h.global_position > ${until} THEN l.hash ELSE s.head_hash END, 'hex') AS hash
        FROM ${streams} s
        LEFT JOIN ${events} h ON h.stream_id = s.stream_id COLLATE "default" AND h.stream_position = s.version
        LEFT JOIN LATERAL (
          SELECT x.stream_position, x.hash FROM ${events} x
          WHERE h.global_position > ${until} AND x.stream_id = s.stream_id COLLATE "default"
            AND x.global_position <= ${until}
          ORDER BY x.stream_position DESC LIMIT 1
        ) l ON true
        WHERE s.stream_id > ${after}
          AND (h.global_position IS NULL OR h.global_position <= ${until} OR l.stream_position IS NOT NULL)
        ORDER BY s.stream_id
        LIMIT ${pageSize}`.execute(db);
      for (const row of rows) {
        yield { streamId: row.stream_id, version: toNumber(row.version), hash: row.hash };
      }
      if (rows.length < pageSize) return;
      after = rows[rows.length - 1]!.stream_id;
    }
  }

  /**
   * Walks the events in global order and checks each stream's chain, then each stream's recorded version
   * and head hash against the end of its walked chain. Events and heads are read as of one moment, so
   * appends made meanwhile are left for the next run: on a `pg` pool, in one read-only repeatable-read
   * transaction (it takes no transaction id, so it holds no reader back); elsewhere (PGlite, one
   * connection, appends interleave only between pages), up to the head at the start.
   */
  async verify(): Promise<VerifyResult> {
    const run = async (db: Kysely<unknown>, until: number | undefined): Promise<VerifyResult> => {
      const streamHeads = new Map<string, { version: number; hash: string }>();
      for await (const head of this.#streamHeads(db, until ?? Number.MAX_SAFE_INTEGER, 5000)) {
        streamHeads.set(head.streamId, head);
      }
      const events = this.#allStored((db as Kysely<EventStoreTables>).withSchema(this.#schema), 5000, until);
      return verifyEvents(events, streamHeads);
    };
    if (driverOf(this.#root)?.kind === 'pg') {
      return this.#root
        .transaction()
        .setIsolationLevel('repeatable read')
        .setAccessMode('read only')
        .execute((trx) => run(trx, undefined));
    }
    return run(this.#root, await this.head());
  }

  /**
   * Rewrites stored events and re-chains their streams (maintenance, with the server stopped; see
   * `rewriteStoredEvents`). Refuses a store that does not verify before, and checks it verifies after.
   * Returns the changed events and the head digests before and after, for the record of the rewrite.
   */
  async rewriteEvents(
    options: RewriteOptions,
  ): Promise<{ rewritten: RewrittenEvent[]; previousHeadDigest: string; headDigest: string }> {
    const before = await this.verify();
    if (!before.ok) {
      throw new Error(`the store does not verify (${before.firstBad.detail}): nothing was rewritten`);
    }
    const rewritten = await rewriteStoredEvents(this.#root, this.#schema, options);
    const after = await this.verify();
    if (!after.ok) throw new Error(`the rewritten store does not verify: ${after.firstBad.detail}`);
    return { rewritten, previousHeadDigest: before.headHash, headDigest: after.headHash };
  }

  async close(): Promise<void> {
    await Promise.all([...this.#subscriptions].map((s) => s.close()));
    await this.#onClose?.();
  }
}
