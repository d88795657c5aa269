import { setTimeout as sleep } from 'node:timers/promises';
import type { EventStore, Subscription } from '@concord/event-store';
import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'kysely';
import { toDomainEvent } from '../commands/streams.ts';
import type { Metrics } from '../metrics.ts';
import { Follower } from '../process/follower.ts';
import { changesWhoMayBeTold, type Derived, emptyRun, handle, settle } from './handlers.ts';
import { type NotificationRow, record } from './record.ts';
import type { NotifyDb } from './table.ts';

export const NOTIFICATION_PROCESS = 'notifications';
/**
 * The longest a new event waits for its batch while commits keep coming: an immediate mail's lag starts
 * with it (the target is 2 s from commit to the relay, ADR 0028).
 */
const DEFAULT_MAX_DELAY_MS = 250;
/** Up to where the history was already there when notifications first started (told to nobody). */
export const NOTIFICATION_HISTORY = 'notifications-history';

export interface NotificationProcessorOptions {
  store: EventStore;
  db: NotifyDb;
  logger: FastifyBaseLogger;
  metrics: Metrics;
  clock: () => Date;
  /** Whether mails are queued (false without SMTP_URL: the list still fills). */
  mail: boolean;
  /** Told, after each commit, which notifications are new (the live feed, the outbox). */
  onRecorded?: (rows: NotificationRow[]) => void;
  /** How long the log must be quiet before a batch starts (default 50 ms), and the most it waits (250 ms). */
  quietMs?: number;
  maxDelayMs?: number;
  /** Events per transaction (default 500). */
  batchSize?: number;
  /** Tests: runs inside each batch's transaction just before it commits (a throw aborts the batch). */
  beforeCommit?: (lastPosition: number) => Promise<void>;
}

/** Another writer moved the checkpoint: this batch is void. */
class CheckpointMoved extends Error {}

/**
 * Follows the global order from its own checkpoint (`api.checkpoints`, name `notifications`) and turns
 * events into notifications. Each batch is one transaction: the processor's fold, the notification rows,
 * their outbox rows and the checkpoint, which only moves from the position the batch started at. So a
 * crash keeps either the whole batch or none of it, and a batch applied again after a crash adds nothing
 * (every row is also keyed by person and cause). The store's subscription only wakes it; reading is
 * `readAll` from the checkpoint, which never skips a late commit (ADR 0002).
 */
export class NotificationProcessor extends Follower {
  #quietUntil = 0;
  #timer: NodeJS.Timeout | undefined;
  #firstWake: number | undefined;
  #subscription: Subscription | undefined;
  #running: Promise<void> | null = null;
  /** A wake-up came during a run: another follows it. */
  #woken = false;
  #stopped = true;

  constructor(private readonly o: NotificationProcessorOptions) {
    super();
  }

  running(): boolean {
    return !this.#stopped;
  }

  async start(): Promise<void> {
    this.#stopped = false;
    const head = await this.o.store.head();
    // The first start on an existing history (an upgrade, a restored backup: the API's tables are not in
    // it) folds that history without telling anyone about it: nobody is mailed years of old news.
    await this.o.db.transaction().execute(async (trx) => {
      const inserted = await trx
        .insertInto('api.checkpoints')
        .values({ name: NOTIFICATION_PROCESS, position: 0, updated_at: this.o.clock() })
        .onConflict((oc) => oc.column('name').doNothing())
        .returning('name')
        .executeTakeFirst();
      if (inserted) {
        await trx
          .insertInto('api.checkpoints')
          .values({ name: NOTIFICATION_HISTORY, position: head, updated_at: this.o.clock() })
          .onConflict((oc) => oc.column('name').doUpdateSet({ position: head }))
          .execute();
      }
    });
    this.resumeAt(await this.#stored());
    this.#quietUntil = await this.#stored(NOTIFICATION_HISTORY);
    // Only a wake-up call: what is read comes from the checkpoint.
    this.#subscription = this.o.store.subscribe({ after: head, batchSize: 500 }, async () => this.wake());
    this.#subscription.done.catch((error) => {
      if (!this.#stopped) this.o.logger.error({ err: error }, 'notification wake-ups stopped');
    });
    this.wake();
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    clearTimeout(this.#timer);
    this.#timer = undefined;
    await this.#subscription?.close();
    while (this.#running) await this.#running;
  }

  /** Processes what is new, soon (concurrent calls share one run). */
  wake(): void {
    if (this.#stopped) return;
    // Waits for a quiet moment (a burst of commands becomes one batch, and the batch's transaction does not
    // run while the burst is being answered), but never longer than `maxDelayMs` after the first wake-up.
    // A timer already due at that bound is kept: under a steady stream of commits, resetting it at every
    // wake-up could put the batch off for as long as the stream lasts. A wake-up during a run counts from
    // when it came, and waits for the run to end.
    const now = performance.now();
    this.#firstWake ??= now;
    if (this.#running) {
      this.#woken = true;
      return;
    }
    const { quietMs = 50, maxDelayMs = DEFAULT_MAX_DELAY_MS } = this.o;
    const bound = this.#firstWake + maxDelayMs;
    if (this.#timer && now + quietMs >= bound) return;
    clearTimeout(this.#timer);
    this.#timer = setTimeout(
      () => {
        this.#timer = undefined;
        this.#firstWake = undefined;
        this.#running ??= this.#run();
      },
      Math.max(0, Math.min(quietMs, bound - now)),
    );
  }

  /** Resolves once every event up to `position` is processed (waking the processor if it must go on). */
  override waitFor(position: number): Promise<void> {
    if (this.position < position) this.wake();
    return super.waitFor(position);
  }

  async #stored(name = NOTIFICATION_PROCESS): Promise<number> {
    const row = await this.o.db
      .selectFrom('api.checkpoints')
      .select('position')
      .where('name', '=', name)
      .executeTakeFirst();
    return row ? Number(row.position) : 0;
  }

  async #run(): Promise<void> {
    try {
      for (let failures = 0; !this.#stopped; ) {
        try {
          // A full batch means more is waiting (a backlog): the next one follows at once. A batch that caught
          // up ends the run; commits made meanwhile woke the processor, and wait for a quiet moment again,
          // so that under a steady stream of commands batches come `maxDelayMs` apart, not back to back.
          while (!this.#stopped && (await this.#batch()) === 'full') {
            failures = 0;
            // PGlite answers without I/O (promises only): without a turn of the event loop between
            // batches, a backlog of many batches would hold up every timer and socket (the outbox's SMTP
            // connections among them) until it is done.
            await new Promise<void>((resolve) => setImmediate(resolve));
          }
          return;
        } catch (error) {
          if (this.#stopped) break;
          failures++;
          if (error instanceof CheckpointMoved) this.resumeAt(await this.#stored());
          else this.o.logger.error({ err: error, attempt: failures }, 'notification batch failed; retrying');
          await sleep(Math.min(30_000, 100 * 2 ** failures));
        }
      }
    } finally {
      this.#running = null;
      if (this.#woken) {
        this.#woken = false;
        this.wake();
      }
    }
  }

  /** One batch: whether it was full (more may wait), held fewer events, or found none. */
  async #batch(): Promise<'full' | 'caught-up' | 'none'> {
    const from = this.position;
    const limit = this.o.batchSize ?? 500;
    const events = await this.o.store.readAll({ after: from, limit });
    if (events.length === 0) return 'none';
    const last = events[events.length - 1]!.globalPosition;
    const now = this.o.clock();
    const recorded: NotificationRow[] = [];
    await this.o.db.transaction().execute(async (trx) => {
      // The notifications of consecutive events are recorded together (one read of each kind and one
      // INSERT per table for all of them, not per event), until an event that changes who may be told:
      // what was derived before it is recorded first, so each is judged by the fold as of its event.
      let pending: (Derived & { position: number })[] = [];
      const flush = async () => {
        if (pending.length === 0) return;
        recorded.push(...(await record(trx, pending, { position: null, now, mail: this.o.mail })));
        pending = [];
      };
      const run = emptyRun();
      for (const event of events) {
        const domainEvent = toDomainEvent(event);
        if (changesWhoMayBeTold(domainEvent)) await flush();
        const derived = await handle(trx, domainEvent, event.id, run);
        if (derived.length === 0 || event.globalPosition <= this.#quietUntil) continue;
        pending.push(...derived.map((item) => ({ ...item, position: event.globalPosition })));
      }
      await settle(trx, run);
      await flush();
      // A batch that told no one commits without waiting for its WAL flush: a crash can lose it only with
      // its checkpoint, and it is derived again from the events. One that told someone waits, as a mail
      // or a live message may follow at once.
      if (recorded.length === 0) await sql`SELECT set_config('synchronous_commit', 'off', true)`.execute(trx);
      await this.o.beforeCommit?.(last);
      const moved = await sql`UPDATE api.checkpoints SET position = ${last}, updated_at = ${now}
        WHERE name = ${NOTIFICATION_PROCESS} AND position = ${from}`.execute(trx);
      if (Number(moved.numAffectedRows ?? 0) !== 1) throw new CheckpointMoved();
    });
    this.reached(last);
    this.o.metrics.processPosition.set({ process: NOTIFICATION_PROCESS }, last);
    if (recorded.length > 0) this.o.onRecorded?.(recorded);
    return events.length === limit ? 'full' : 'caught-up';
  }
}
