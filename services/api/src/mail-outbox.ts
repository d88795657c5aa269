import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'kysely';
import type { ApiDb, ApiTables } from './db.ts';
import type { Mail, Mailer } from './mail.ts';
import type { Metrics } from './metrics.ts';

export type OutboxKind = ApiTables['api.mail_outbox']['kind'];

/**
 * Makes the mail for a row when it is sent; null sends nothing (e.g. an address without an account).
 * `cause` is the key of a notification's or digest's row (null for a password reset).
 */
export type Compose = (recipient: string, cause: string | null) => Promise<Mail | null>;

/** A claimed row as a batch composer sees it. */
export interface ComposeRow {
  recipient: string;
  cause: string | null;
}

/**
 * Makes the mails of several rows at once (one read of each kind for the whole batch, not one per row):
 * one answer per row, in the same order. An Error in a row's place fails that row alone (it is retried
 * like a failed send); a throw fails every row of the call.
 */
export type ComposeBatch = (rows: readonly ComposeRow[]) => Promise<(Mail | null | Error)[]>;

export interface MailOutboxOptions {
  db: ApiDb;
  mailer: Mailer;
  logger: FastifyBaseLogger;
  clock: () => Date;
  /** Counts sends and failures (optional: tools that send no mail pass none). */
  metrics?: Metrics;
  /** How long a sender holds a row before another instance may take it over (default 5 minutes). */
  leaseMs?: number;
  /** Tries per row before it is given up (default 5). */
  maxAttempts?: number;
  /** How often rows that wait for a retry (or were left by a crash) are looked for (default 30 s). */
  pollMs?: number;
  /** Rows claimed at once (default 50). */
  batchSize?: number;
  /**
   * The most rows claimed and not yet settled (sent, failed) at any moment (default 200): the next batch
   * is claimed and composed while earlier ones are still being sent, up to this bound.
   */
  maxInFlight?: number;
}

interface Claimed {
  mail_id: string | number;
  kind: OutboxKind;
  recipient: string;
  attempts: number;
  cause: string | null;
}

/** Retries end here: a row given up waits for nobody (the facilitator sees it in the status). */
const NEVER = new Date('9999-12-31T00:00:00Z');

/**
 * Mail that leaves the system, off the request path. A request only adds a row (the same one INSERT
 * whatever the address), then returns; a sender in the background claims rows in batches with a lease
 * (`FOR UPDATE SKIP LOCKED`, so several instances share the table without sending twice), makes a batch's
 * mails at that moment (`compose`, one read of each kind per batch), sends them and marks them sent. The
 * next batch is claimed while the earlier ones are still being sent (at most `maxInFlight` rows at once),
 * so a slow mail holds up no other batch. A failed send is retried with back-off; a crash between sending
 * and marking leaves the row to its lease: a password reset's is sent again (at least once: a second
 * reset mail voids the first link, so that is harmless), a notification's is marked uncertain and never
 * repeated (at most once per person and cause, ADR 0019).
 */
export class MailOutbox {
  readonly #o: Required<Omit<MailOutboxOptions, 'metrics'>> & Pick<MailOutboxOptions, 'metrics'>;
  readonly #compose = new Map<OutboxKind, ComposeBatch>();
  #running: Promise<void> | null = null;
  #again = false;
  #stopped = false;
  #timer: NodeJS.Timeout | undefined;
  /** Batches being composed or sent, and how many rows they hold. */
  readonly #inFlight = new Set<Promise<void>>();
  #inFlightRows = 0;
  /** Ends the sender's wait for its batches early when there is something new (see `wake`). */
  #woken: (() => void) | undefined;

  constructor(options: MailOutboxOptions) {
    this.#o = {
      leaseMs: 300_000,
      maxAttempts: 5,
      pollMs: 30_000,
      batchSize: 50,
      maxInFlight: 200,
      ...options,
    };
  }

  /** How the mails of `kind` are made, one row at a time (each row's reads its own). */
  register(kind: OutboxKind, compose: Compose): void {
    this.#compose.set(kind, (rows) =>
      Promise.all(
        rows.map((row) =>
          compose(row.recipient, row.cause).catch((error: unknown) =>
            error instanceof Error ? error : new Error(String(error)),
          ),
        ),
      ),
    );
  }

  /** How the mails of `kind` are made, a claimed batch's rows of that kind at once. */
  registerBatch(kind: OutboxKind, compose: ComposeBatch): void {
    this.#compose.set(kind, compose);
  }

  /** Adds a mail to send; the sender is woken but not awaited. */
  async enqueue(kind: OutboxKind, recipient: string): Promise<void> {
    const now = this.#o.clock();
    await this.#o.db
      .insertInto('api.mail_outbox')
      .values({
        kind,
        recipient,
        created_at: now,
        attempts: 0,
        next_attempt_at: now,
        claimed_until: null,
        last_error: null,
        cause: null,
        sent_at: null,
        uncertain_at: null,
        failed_at: null,
      })
      .execute();
    this.wake();
  }

  /** Starts polling (rows left by an earlier run, retries) and sends what is due now. */
  start(): void {
    this.#stopped = false;
    this.#timer ??= setInterval(() => this.wake(), this.#o.pollMs);
    this.#timer.unref();
    this.wake();
  }

  /** Stops claiming; resolves once the batches already claimed are settled. */
  async stop(): Promise<void> {
    this.#stopped = true;
    clearInterval(this.#timer);
    this.#timer = undefined;
    this.#woken?.();
    await this.idle();
  }

  /** Sends what is due, soon: after the current request has answered. */
  wake(): void {
    if (this.#stopped) return;
    this.#again = true;
    this.#woken?.();
    this.#running ??= this.#run();
  }

  /** Resolves when the sender has nothing left to do (tests wait for mail this way, never by sleeping). */
  async idle(): Promise<void> {
    while (this.#running) await this.#running;
  }

  async #run(): Promise<void> {
    // The request that woke the sender answers first.
    await new Promise<void>((resolve) => setImmediate(resolve));
    try {
      for (;;) {
        while (this.#again && !this.#stopped) {
          this.#again = false;
          while (!this.#stopped && (await this.#claimNext())) {
            // Until nothing is due.
          }
        }
        if (this.#inFlight.size === 0) break;
        // Batches are still being sent: new rows (a wake) are claimed at once, not after them.
        const woken = new Promise<void>((resolve) => {
          this.#woken = resolve;
        });
        await Promise.race([...this.#inFlight, woken]);
        this.#woken = undefined;
      }
    } catch (error) {
      this.#o.logger.error({ err: error }, 'the mail outbox could not be read; retrying at the next poll');
      // What was already claimed settles before the sender counts as idle.
      await Promise.all(this.#inFlight);
    } finally {
      this.#woken = undefined;
      this.#running = null;
    }
  }

  /**
   * Claims the next batch and starts sending it without waiting for it, or waits for an earlier batch to
   * settle when `maxInFlight` rows are out already.
   * @returns false when nothing was due.
   */
  async #claimNext(): Promise<boolean> {
    const room = this.#o.maxInFlight - this.#inFlightRows;
    if (room <= 0) {
      await Promise.race(this.#inFlight);
      return true;
    }
    const now = this.#o.clock();
    const until = new Date(now.getTime() + this.#o.leaseMs);
    // A keyed row (a notification) whose lease ran out was being sent when its sender stopped: the SMTP
    // server may have accepted it. It is not sent again (at most once per person and cause, ADR 0019).
    await sql`UPDATE api.mail_outbox SET uncertain_at = ${now}, claimed_until = NULL,
        last_error = 'the sender stopped while sending; not repeated'
      WHERE cause IS NOT NULL AND sent_at IS NULL AND uncertain_at IS NULL AND claimed_until < ${now}`.execute(
      this.#o.db,
    );
    const { rows } = await sql<Claimed>`
      UPDATE api.mail_outbox SET claimed_until = ${until}, attempts = attempts + 1
      WHERE mail_id IN (
        SELECT mail_id FROM api.mail_outbox
        WHERE next_attempt_at <= ${now} AND (claimed_until IS NULL OR claimed_until < ${now})
          AND sent_at IS NULL AND uncertain_at IS NULL
        ORDER BY mail_id LIMIT ${Math.min(room, this.#o.batchSize)}
        FOR UPDATE SKIP LOCKED)
      RETURNING mail_id, kind, recipient, attempts, cause`.execute(this.#o.db);
    if (rows.length === 0) return false;
    this.#inFlightRows += rows.length;
    const batch: Promise<void> = this.#sendBatch(rows, now)
      .catch((error: unknown) => {
        // Rows whose end could not be written stay claimed: their lease decides (as after a crash).
        this.#o.logger.error({ err: error }, 'a mail batch could not be marked; its lease decides');
      })
      .finally(() => {
        this.#inFlight.delete(batch);
        this.#inFlightRows -= rows.length;
      });
    this.#inFlight.add(batch);
    return true;
  }

  /**
   * Composes a claimed batch (one call per kind) and sends each mail on its own: a pooled transport
   * spreads them over its connections, and one slow or refused mail holds up no other. Those accepted are
   * marked in one statement (one commit, not one per mail): a crash before it leaves them to the lease,
   * as for a single mail.
   */
  async #sendBatch(rows: readonly Claimed[], now: Date): Promise<void> {
    const mails = new Map<Claimed, Mail | null | Error>();
    for (const kind of new Set(rows.map((row) => row.kind))) {
      const ofKind = rows.filter((row) => row.kind === kind);
      const compose = this.#compose.get(kind);
      let made: (Mail | null | Error)[];
      try {
        if (!compose) throw new Error(`no composer for ${kind} mail`);
        made = await compose(ofKind);
        if (made.length !== ofKind.length)
          throw new Error(`the ${kind} composer answered ${made.length} of ${ofKind.length} rows`);
      } catch (error) {
        made = ofKind.map(() => (error instanceof Error ? error : new Error(String(error))));
      }
      for (const [index, row] of ofKind.entries()) mails.set(row, made[index]!);
    }
    const sent = (await Promise.all(rows.map((row) => this.#send(row, mails.get(row) ?? null, now)))).filter(
      (row): row is Claimed => row !== null,
    );
    await this.#done(sent, this.#o.clock());
  }

  /**
   * Marks rows sent. A keyed row stays (its unique key is what refuses to queue it again); a password
   * reset's row goes.
   */
  async #done(rows: readonly Claimed[], sentAt: Date): Promise<void> {
    const keyed = rows.filter((row) => row.cause !== null).map((row) => row.mail_id);
    const unkeyed = rows.filter((row) => row.cause === null).map((row) => row.mail_id);
    if (keyed.length > 0) {
      await this.#o.db
        .updateTable('api.mail_outbox')
        .set({ sent_at: sentAt, claimed_until: null })
        .where('mail_id', 'in', keyed)
        .execute();
    }
    if (unkeyed.length > 0) {
      await this.#o.db.deleteFrom('api.mail_outbox').where('mail_id', 'in', unkeyed).execute();
    }
    for (const row of rows) this.#o.metrics?.mailSent.inc({ kind: row.kind });
  }

  /**
   * Sends one claimed row's mail (composed, or the Error its composing ended in): the row when the SMTP
   * server accepted it (or there was nothing to send), else null.
   */
  async #send(row: Claimed, composed: Mail | null | Error, now: Date): Promise<Claimed | null> {
    // A row given up: a keyed one stays (never queued again), a password reset's goes.
    const givenUp = () =>
      row.cause === null
        ? this.#o.db.deleteFrom('api.mail_outbox').where('mail_id', '=', row.mail_id).execute()
        : this.#o.db
            .updateTable('api.mail_outbox')
            .set({ sent_at: null, claimed_until: null, next_attempt_at: NEVER })
            .where('mail_id', '=', row.mail_id)
            .execute();
    try {
      if (composed instanceof Error) throw composed;
      if (composed) await this.#o.mailer.send(composed);
      return row;
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      this.#o.metrics?.mailFailures.inc({ kind: row.kind });
      if (row.attempts >= this.#o.maxAttempts) {
        this.#o.logger.error({ err: error, kind: row.kind, attempts: row.attempts }, 'a mail was given up');
        if (row.cause !== null) {
          await this.#o.db
            .updateTable('api.mail_outbox')
            .set({ last_error: reason.slice(0, 500), failed_at: now })
            .where('mail_id', '=', row.mail_id)
            .execute();
        }
        await givenUp();
        return null;
      }
      this.#o.logger.warn({ err: error, kind: row.kind, attempts: row.attempts }, 'a mail failed; retrying');
      const retryAt = new Date(now.getTime() + 30_000 * 2 ** (row.attempts - 1));
      await this.#o.db
        .updateTable('api.mail_outbox')
        .set({
          next_attempt_at: retryAt,
          claimed_until: null,
          last_error: reason.slice(0, 500),
          failed_at: now,
        })
        .where('mail_id', '=', row.mail_id)
        .execute();
      return null;
    }
  }
}
