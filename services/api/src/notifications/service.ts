import type { EventStore } from '@concord/event-store';
import type { FastifyBaseLogger } from 'fastify';
import { sql } from 'kysely';
import type { Mail } from '../mail.ts';
import type { MailOutbox } from '../mail-outbox.ts';
import type { Metrics } from '../metrics.ts';
import { PeriodicPass } from '../process/periodic.ts';
import { closingSoon } from './deadlines.ts';
import { digestDue } from './digest.ts';
import { composeMail } from './mails.ts';
import { actionsFallingDue } from './partnerships.ts';
import { NotificationProcessor, type NotificationProcessorOptions } from './processor.ts';
import { NotificationQueries } from './queries.ts';
import { queueKeyedMails } from './queue.ts';
import { type NotificationRow, record } from './record.ts';
import type { NotifyDb } from './table.ts';

export interface NotificationsOptions {
  store: EventStore;
  db: NotifyDb;
  logger: FastifyBaseLogger;
  metrics: Metrics;
  clock: () => Date;
  outbox: MailOutbox;
  /** Whether this server mails at all (SMTP_URL): without, the list still fills and nothing is queued. */
  mail: boolean;
  publicUrl: string;
  /** How often deadlines and digests are looked at (default a minute). */
  intervalMs?: number;
  /** Tests: the processor's batch size and a hook inside each batch's transaction. */
  processor?: Pick<NotificationProcessorOptions, 'batchSize' | 'beforeCommit'>;
}

type Listener = (rows: NotificationRow[]) => void | Promise<void>;

/**
 * Notifications (ADR 0019): the processor that derives them from the events, the timed pass that adds
 * the deadline reminders and queues the digests, each person's queries, and the mails the outbox sends.
 */
export class Notifications {
  readonly queries: NotificationQueries;
  readonly processor: NotificationProcessor;
  readonly #timed: PeriodicPass;
  readonly #listeners = new Set<Listener>();

  constructor(private readonly o: NotificationsOptions) {
    this.queries = new NotificationQueries(o.db, o.clock);
    this.processor = new NotificationProcessor({
      ...o.processor,
      store: o.store,
      db: o.db,
      logger: o.logger,
      metrics: o.metrics,
      clock: o.clock,
      mail: o.mail,
      onRecorded: (rows) => this.#recorded(rows),
    });
    this.#timed = new PeriodicPass(() => this.#timedPass(), {
      intervalMs: o.intervalMs ?? 60_000,
      logger: o.logger,
      failure: 'notification deadlines or digests failed',
    });
    o.outbox.registerBatch('notification', (rows) => this.#mails('notification', rows));
    o.outbox.registerBatch('digest', (rows) => this.#mails('digest', rows));
  }

  get mail(): boolean {
    return this.o.mail;
  }

  /** Calls `listener` with every batch of new notifications, after it committed. */
  onRecorded(listener: Listener): void {
    this.#listeners.add(listener);
  }

  async start(): Promise<void> {
    await this.processor.start();
    this.#timed.start();
  }

  async stop(): Promise<void> {
    await this.#timed.stop();
    await this.processor.stop();
  }

  /** One pass of deadlines and digests at the clock's time (tests move the clock, then call this). */
  tick(): Promise<void> {
    return this.#timed.run();
  }

  #recorded(rows: NotificationRow[]): void {
    for (const row of rows) this.o.metrics.notificationsRecorded.inc({ kind: row.kind });
    if (this.o.mail && rows.some((row) => row.delivery === 'immediately')) this.o.outbox.wake();
    for (const listener of this.#listeners) {
      void Promise.resolve(listener(rows)).catch((error) =>
        this.o.logger.warn({ err: error }, 'a notification listener failed'),
      );
    }
  }

  async #timedPass(): Promise<void> {
    const now = this.o.clock();
    const recorded = await this.o.db.transaction().execute(async (trx) =>
      record(trx, [...(await closingSoon(trx, now)), ...(await actionsFallingDue(trx, now))], {
        position: null,
        now,
        mail: this.o.mail,
      }),
    );
    if (recorded.length > 0) this.#recorded(recorded);
    if (this.o.mail && (await this.#queueDigests(now)) > 0) this.o.outbox.wake();
    // Keeps `concord_mail_waiting` current between the facilitator's looks.
    if (this.o.mail) await this.mailStatus();
  }

  /** Queues today's digest for every person whose hour has come and who has notifications waiting for it. */
  async #queueDigests(now: Date): Promise<number> {
    const waiting = await this.o.db
      .selectFrom('api.notifications')
      .select('person_id')
      .distinct()
      .where('delivery', '=', 'digest')
      .where('digest_cause', 'is', null)
      .execute();
    let queued = 0;
    for (const { person_id } of waiting) {
      const settings = await this.queries.settings(person_id);
      const date = digestDue(now, settings);
      if (!date) continue;
      const cause = `digest:${date}`;
      await this.o.db.transaction().execute(async (trx) => {
        await trx
          .updateTable('api.notifications')
          .set({ digest_cause: cause })
          .where('person_id', '=', person_id)
          .where('delivery', '=', 'digest')
          .where('digest_cause', 'is', null)
          .execute();
        await trx
          .updateTable('api.notification_settings')
          .set({ last_digest_on: date })
          .where('person_id', '=', person_id)
          .execute();
        await queueKeyedMails(trx, 'digest', [{ personId: person_id, cause }], now);
      });
      queued++;
    }
    return queued;
  }

  /**
   * The mails of a batch of notifications (each keyed by its cause) or of digests (the notifications
   * stamped with the digest's cause), made when they are sent, with one read of each kind for the whole
   * batch (people, settings, notifications): each row is null when its person was forgotten or has turned
   * that kind off since it was queued (e.g. by the unsubscribe link). Each mail is made from its own
   * person's row and settings (their language, zone and unsubscribe secret), whatever else is in the batch.
   */
  async #mails(
    kind: 'notification' | 'digest',
    batch: readonly { recipient: string; cause: string | null }[],
  ): Promise<(Mail | null | Error)[]> {
    const keyed = batch.filter((row): row is { recipient: string; cause: string } => row.cause !== null);
    if (keyed.length === 0) return batch.map(() => null);
    const personIds = [...new Set(keyed.map((row) => row.recipient))];
    const causes = [...new Set(keyed.map((row) => row.cause))];
    const causeColumn = kind === 'digest' ? 'digest_cause' : 'cause';
    const [people, settings, notifications] = await Promise.all([
      this.o.db
        .selectFrom('auth.people')
        .select(['person_id', 'email', 'name'])
        .where('person_id', 'in', personIds)
        .where('forgotten_at', 'is', null)
        .execute(),
      this.o.db
        .selectFrom('api.notification_settings')
        .selectAll()
        .where('person_id', 'in', personIds)
        .execute(),
      this.o.db
        .selectFrom('api.notifications')
        .selectAll()
        .where('person_id', 'in', personIds)
        .where(causeColumn, 'in', causes)
        .orderBy('notification_id')
        .execute() as Promise<NotificationRow[]>,
    ]);
    const personOf = new Map(people.map((row) => [row.person_id, row]));
    const settingsOf = new Map(settings.map((row) => [row.person_id, row]));
    const rowsOf = new Map<string, NotificationRow[]>();
    for (const row of notifications) {
      const key = `${row.person_id}\n${kind === 'digest' ? row.digest_cause : row.cause}`;
      rowsOf.set(key, [...(rowsOf.get(key) ?? []), row]);
    }
    // Someone queued before their settings were ever made gets the defaults (and a secret) now, as a
    // single read would have made them.
    for (const personId of personIds) {
      if (!settingsOf.has(personId) && personOf.has(personId)) {
        settingsOf.set(personId, await this.queries.settings(personId));
      }
    }
    return batch.map(({ recipient, cause }) => {
      if (!cause) return null;
      const person = personOf.get(recipient);
      const chosen = settingsOf.get(recipient);
      if (!person || !chosen) return null;
      try {
        const wanted = (rowsOf.get(`${recipient}\n${cause}`) ?? []).filter((row) => {
          const delivery = chosen.deliveries[row.kind] ?? 'immediately';
          return kind === 'digest' ? delivery === 'digest' : delivery !== 'off';
        });
        if (wanted.length === 0) return null;
        return composeMail({
          publicUrl: this.o.publicUrl,
          to: person.email,
          name: person.name,
          settings: chosen,
          cause,
          rows: wanted,
          what: kind === 'digest' ? 'digest' : wanted[0]!.kind,
        });
      } catch (error) {
        // One mail that cannot be made fails alone (it is retried); the rest of the batch goes.
        return error instanceof Error ? error : new Error(String(error));
      }
    });
  }

  /** Whose secret signs a person's unsubscribe links (null: no such person). */
  async unsubscribeSecret(personId: string): Promise<string | null> {
    const row = await this.o.db
      .selectFrom('api.notification_settings')
      .select('unsubscribe_secret')
      .where('person_id', '=', personId)
      .executeTakeFirst();
    return row?.unsubscribe_secret ?? null;
  }

  /** The outbox as the facilitator sees it, and the waiting gauge of the metrics. */
  async mailStatus() {
    const { rows } = await sql<{
      waiting: string | number;
      failing: string | number;
      given_up: string | number;
      uncertain: string | number;
      sent: string | number;
    }>`SELECT
        count(*) FILTER (WHERE sent_at IS NULL AND uncertain_at IS NULL AND next_attempt_at < '9999-01-01') AS waiting,
        count(*) FILTER (WHERE sent_at IS NULL AND uncertain_at IS NULL AND next_attempt_at < '9999-01-01'
          AND last_error IS NOT NULL) AS failing,
        count(*) FILTER (WHERE sent_at IS NULL AND next_attempt_at >= '9999-01-01') AS given_up,
        count(*) FILTER (WHERE uncertain_at IS NOT NULL) AS uncertain,
        count(*) FILTER (WHERE sent_at IS NOT NULL) AS sent
      FROM api.mail_outbox`.execute(this.o.db);
    const counts = rows[0]!;
    const last = await this.o.db
      .selectFrom('api.mail_outbox')
      .select(['last_error', 'failed_at'])
      .where('failed_at', 'is not', null)
      .orderBy('failed_at', 'desc')
      .limit(1)
      .executeTakeFirst();
    this.o.metrics.mailWaiting.set(Number(counts.waiting));
    return {
      waiting: Number(counts.waiting),
      failing: Number(counts.failing),
      givenUp: Number(counts.given_up),
      uncertain: Number(counts.uncertain),
      sent: Number(counts.sent),
      lastError: last?.last_error ?? null,
      lastErrorAt: last?.failed_at ? new Date(last.failed_at).toISOString() : null,
      mail: this.o.mail,
    };
  }
}
