import type { EventStore } from '@concord/event-store';
import type { Kysely } from 'kysely';
import { assertSchemaName, DEFAULT_SCHEMA, migrateReadModels } from '../schema/migrate.ts';
import {
  type AppliedBatch,
  CheckpointMovedError,
  commitBatch,
  prepareBatch,
  readCheckpoint,
} from './apply.ts';
import { PrefetchingReader } from './reader.ts';
import { EntityCache } from './unit-of-work.ts';

/** A pino-style logger; only `info` is required. */
export interface ProjectorLogger {
  info(obj: object, msg?: string): void;
  warn?(obj: object, msg?: string): void;
  error?(obj: object, msg?: string): void;
}

export interface ProjectorOptions {
  db: Kysely<unknown>;
  store: EventStore;
  /** Schema of the read models; `readmodel` by default. */
  schema?: string;
  /** Events per transaction; default 2000. A batch commits the read models and the checkpoint together. */
  batchSize?: number;
  logger?: ProjectorLogger;
  /** How long an idle projector waits before looking for events appended by other processes. Default 250 ms. */
  pollIntervalMs?: number;
  /** Also validate current-version events against the domain's schemas (older versions always are). */
  validateEvents?: boolean;
}

/**
 * Keeps the read models exactly current. Each batch of events and the checkpoint move in one
 * transaction, so after a crash the projector resumes from its checkpoint without applying an event twice
 * or skipping one. It catches up from the checkpoint, then follows new events as they are committed.
 */
export class Projector {
  readonly #db: Kysely<unknown>;
  readonly #store: EventStore;
  readonly #schema: string;
  readonly #batchSize: number;
  readonly #logger: ProjectorLogger | undefined;
  readonly #pollIntervalMs: number;
  readonly #validate: boolean;
  readonly #cache: EntityCache;
  readonly #reader: PrefetchingReader;
  readonly #listeners = new Set<(batch: AppliedBatch) => void>();
  readonly #waiters = new Set<{ position: number; resolve: () => void; reject: (error: Error) => void }>();
  #position = 0;
  #events = 0;
  #running: Promise<void> | null = null;
  #stopping = false;
  #wake: (() => void) | null = null;
  /** Whether the doorbell rang since the last read began: then there may be more to read at once. */
  #rung = false;
  #doorbell: { close(): Promise<void> | undefined } | null = null;

  constructor(options: ProjectorOptions) {
    this.#db = options.db;
    this.#store = options.store;
    this.#schema = options.schema ?? DEFAULT_SCHEMA;
    assertSchemaName(this.#schema);
    this.#batchSize = options.batchSize ?? 2000;
    if (!Number.isInteger(this.#batchSize) || this.#batchSize < 1 || this.#batchSize > 20_000) {
      throw new Error('batchSize must be a whole number from 1 to 20000');
    }
    this.#logger = options.logger;
    this.#pollIntervalMs = options.pollIntervalMs ?? 250;
    this.#validate = options.validateEvents ?? false;
    this.#cache = new EntityCache(Math.max(20_000, this.#batchSize * 5));
    this.#reader = new PrefetchingReader(this.#store, this.#batchSize);
  }

  /** Global position of the last applied event (0 before the first). */
  get position(): number {
    return this.#position;
  }

  /** Events applied to these read models since they were created. */
  get eventsApplied(): number {
    return this.#events;
  }

  /**
   * Migrates the read models, resumes from the checkpoint and starts following the store. Resolves once
   * it has caught up with what was stored when it started; it then keeps following live events.
   */
  async start(): Promise<void> {
    if (this.#running) return;
    this.#stopping = false;
    await migrateReadModels(this.#db, this.#schema);
    const checkpoint = await readCheckpoint(this.#db, this.#schema);
    this.#position = checkpoint.position;
    this.#events = checkpoint.events;
    const head = await this.#store.head();
    this.#logger?.info({ position: this.#position, head, schema: this.#schema }, 'projector starting');
    // Appends made through this store ring the doorbell at once; others are seen by polling. A store that
    // announces its appends rings it without reading; on another, a subscription reads to ring it.
    const stopListening = this.#store.onAppended?.(() => this.#ring());
    this.#doorbell = stopListening
      ? { close: () => void stopListening() }
      : this.#store.subscribe({ after: head, batchSize: 100 }, () => this.#ring());
    this.#running = this.#run();
    await this.waitFor(head);
  }

  /** Stops after the batch in progress (which commits or rolls back whole). */
  async stop(): Promise<void> {
    this.#stopping = true;
    this.#ring();
    await this.#doorbell?.close();
    this.#doorbell = null;
    await this.#running;
    this.#running = null;
    for (const waiter of this.#waiters) waiter.reject(new Error('The projector stopped'));
    this.#waiters.clear();
  }

  /** Resolves once every event up to `position` is applied (read-your-writes after an append). */
  waitFor(position: number, timeoutMs?: number): Promise<void> {
    if (this.#position >= position) return Promise.resolve();
    return new Promise((resolve, reject) => {
      let timer: NodeJS.Timeout | undefined;
      const waiter = {
        position,
        resolve: () => {
          clearTimeout(timer);
          resolve();
        },
        reject: (error: Error) => {
          clearTimeout(timer);
          reject(error);
        },
      };
      if (timeoutMs !== undefined) {
        timer = setTimeout(() => {
          this.#waiters.delete(waiter);
          reject(new Error(`The read models did not reach position ${position} within ${timeoutMs} ms`));
        }, timeoutMs);
      }
      this.#waiters.add(waiter);
    });
  }

  /** Calls `listener` after each committed batch; returns the function that unsubscribes it. */
  onBatch(listener: (batch: AppliedBatch) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  #ring(): void {
    this.#rung = true;
    const wake = this.#wake;
    this.#wake = null;
    wake?.();
  }

  #sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const timer = setTimeout(() => {
        this.#wake = null;
        resolve();
      }, ms);
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  /** Records a committed batch: position, waiters, listeners, periodic progress. */
  #committed(batch: AppliedBatch): void {
    const { events } = batch;
    this.#position = events[events.length - 1]!.globalPosition;
    this.#events += events.length;
    this.#release();
    for (const listener of this.#listeners) {
      try {
        listener(batch);
      } catch (error) {
        this.#logger?.warn?.({ err: error }, 'an onBatch listener failed');
      }
    }
    const now = Date.now();
    if (now - this.#reported.at >= 5000) {
      const rate = Math.round(((this.#events - this.#reported.events) * 1000) / (now - this.#reported.at));
      this.#logger?.info(
        { position: this.#position, events: this.#events, eventsPerSecond: rate },
        'projecting',
      );
      this.#reported = { at: now, events: this.#events };
    }
  }

  /** Resolves the waiters the current position satisfies. */
  #release(): void {
    for (const waiter of this.#waiters) {
      if (waiter.position <= this.#position) {
        this.#waiters.delete(waiter);
        waiter.resolve();
      }
    }
  }

  #reported = { at: Date.now(), events: 0 };

  /**
   * Reads, applies in memory and commits batches; while one batch commits, the next is prepared (its
   * reads cannot depend on the batch in flight: what that batch wrote is in the cache).
   */
  async #run(): Promise<void> {
    let failures = 0;
    let committing: Promise<void> | null = null;
    let prepared = this.#position;
    this.#reported = { at: Date.now(), events: this.#events };
    const options = () => ({
      db: this.#db,
      schema: this.#schema,
      cache: this.#cache,
      validate: this.#validate,
      // A batch commits without waiting for its WAL flush: a crash loses whole batches, which are applied
      // again from the checkpoint (the events were flushed before any command was answered). On PGlite too:
      // the next append's flush covers the WAL before it, and a flush per batch held the server's only
      // thread (ADR 0033).
      asynchronousCommit: true,
    });
    while (!this.#stopping) {
      try {
        this.#rung = false;
        const events = await this.#reader.read(prepared);
        if (this.#stopping) break;
        if (events.length === 0) {
          if (committing) await committing;
          committing = null;
          if (!this.#rung) await this.#sleep(this.#pollIntervalMs);
          continue;
        }
        const batch = await prepareBatch(events, { ...options(), after: prepared });
        prepared = events[events.length - 1]!.globalPosition;
        if (committing) await committing;
        committing = commitBatch(batch, options()).then((applied) => {
          failures = 0;
          this.#committed(applied);
        });
        committing.catch(() => {});
        // A short page was all there was: read again when the doorbell rings (appends of other processes
        // are found by the poll), not at once, while the batch commits.
        if (events.length < this.#batchSize && !this.#rung) await this.#sleep(this.#pollIntervalMs);
      } catch (error) {
        if (committing) await committing.catch(() => {});
        committing = null;
        this.#reader.reset();
        this.#cache.clear();
        if (error instanceof CheckpointMovedError) {
          // A rebuild was swapped in (or another projector ran): continue from the stored checkpoint.
          this.#logger?.info(
            { expected: error.expected, found: error.found },
            'checkpoint moved; resuming from it',
          );
        } else {
          failures++;
          const log = this.#logger?.error ?? this.#logger?.info;
          log?.call(
            this.#logger,
            { err: error, position: this.#position, failures },
            'projection batch failed; retrying',
          );
          await this.#sleep(Math.min(5000, 100 * 2 ** Math.min(failures, 6)));
        }
        try {
          const checkpoint = await readCheckpoint(this.#db, this.#schema);
          this.#position = checkpoint.position;
          this.#events = checkpoint.events;
          // A rebuild swapped in ahead of us may already cover what someone waits for.
          this.#release();
        } catch {
          // The database is unreachable: the next attempt reads the checkpoint again.
        }
        prepared = this.#position;
      }
    }
    if (committing) await committing.catch(() => {});
  }
}
