import type { Transaction } from 'kysely';
import type { ApiTables } from '../db.ts';
import type { NotificationTables } from './table.ts';

/**
 * Queues mails keyed by person and cause in the caller's transaction: a key queued before (even long
 * sent) is skipped by the outbox's unique index, so a repeated batch or pass queues nothing twice.
 */
export async function queueKeyedMails(
  trx: Transaction<ApiTables & NotificationTables>,
  kind: 'notification' | 'digest',
  mails: readonly { personId: string; cause: string }[],
  now: Date,
): Promise<void> {
  if (mails.length === 0) return;
  await trx
    .insertInto('api.mail_outbox')
    .values(
      mails.map(({ personId, cause }) => ({
        kind,
        recipient: personId,
        cause,
        created_at: now,
        attempts: 0,
        next_attempt_at: now,
        claimed_until: null,
        last_error: null,
        sent_at: null,
        uncertain_at: null,
        failed_at: null,
      })),
    )
    .onConflict((oc) => oc.columns(['recipient', 'cause']).where('cause', 'is not', null).doNothing())
    .execute();
}
