import type { FastifyBaseLogger } from 'fastify';
import type { ApiDb } from '../db.ts';
import { PeriodicStep } from './periodic-step.ts';

const DAY = 86_400_000;

/**
 * How long the API keeps what it no longer needs (docs/privacy.md): one-time links and sessions 30 days
 * after they expired, were used or were revoked (long enough to answer "was this my link?"), idempotency
 * records 7 days after their request (clients retry within minutes; the records may hold what an answer
 * said, such as an invitee's address).
 */
export const RETENTION = { linksDays: 30, sessionsDays: 30, idempotencyDays: 7 } as const;

/** Deletes, every `intervalMs`, what is past its retention (on the instance running the process steps). */
export class Retention extends PeriodicStep {
  constructor(
    private readonly o: {
      db: ApiDb;
      clock: () => Date;
      logger: FastifyBaseLogger;
      intervalMs: number;
      /** The people the history says were forgotten (their `PersonForgotten` events). */
      forgotten: () => Promise<string[]>;
      /** Erases a person's data (idempotent). */
      forget: (personId: string) => Promise<void>;
    },
  ) {
    super({ ...o, failure: 'retention sweep failed' });
  }

  /** Sweeps once now (a restored backup may bring back data of people forgotten since), then every interval. */
  override start(): void {
    void this.sweep();
    super.start();
  }

  protected async pass(): Promise<void> {
    const { db, clock, logger } = this.o;
    const now = clock().getTime();
    const before = (days: number) => new Date(now - days * DAY);
    const links = await db
      .deleteFrom('auth.tokens')
      .where((eb) =>
        eb.or([
          eb('expires_at', '<', before(RETENTION.linksDays)),
          eb('used_at', '<', before(RETENTION.linksDays)),
        ]),
      )
      .executeTakeFirst();
    const sessions = await db
      .deleteFrom('auth.sessions')
      .where((eb) =>
        eb.or([
          eb('expires_at', '<', before(RETENTION.sessionsDays)),
          eb('revoked_at', '<', before(RETENTION.sessionsDays)),
        ]),
      )
      .executeTakeFirst();
    const idempotency = await db
      .deleteFrom('api.idempotency')
      .where('updated_at', '<', before(RETENTION.idempotencyDays))
      .executeTakeFirst();
    // Whoever the history says was forgotten stays forgotten: after a crash between the event and the
    // erasure, or a restored backup made before it.
    const forgotten = await this.o.forgotten();
    const remembered =
      forgotten.length === 0
        ? []
        : await db
            .selectFrom('auth.people')
            .select('person_id')
            .where('person_id', 'in', forgotten)
            .where('forgotten_at', 'is', null)
            .execute();
    for (const { person_id } of remembered) await this.o.forget(person_id);
    const deleted = {
      forgotten: remembered.length,
      links: Number(links.numDeletedRows),
      sessions: Number(sessions.numDeletedRows),
      idempotency: Number(idempotency.numDeletedRows),
    };
    if (Object.values(deleted).some((count) => count > 0)) logger.info(deleted, 'retention');
  }
}
