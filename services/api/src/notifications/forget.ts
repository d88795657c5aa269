import type { Kysely } from 'kysely';
import type { ApiTables } from '../db.ts';
import type { NotificationTables } from './table.ts';

/**
 * Erases what notifications keep about a person (ADR 0012): their notifications, mails queued or sent for
 * them, what they follow and their choices. Run in the forgetting's own transaction.
 */
export async function forgetNotifications(db: Kysely<ApiTables>, personId: string): Promise<void> {
  const own = db as unknown as Kysely<ApiTables & NotificationTables>;
  await own.deleteFrom('api.mail_outbox').where('recipient', '=', personId).execute();
  await own.deleteFrom('api.notifications').where('person_id', '=', personId).execute();
  await own.deleteFrom('api.notification_follows').where('person_id', '=', personId).execute();
  await own.deleteFrom('api.notification_settings').where('person_id', '=', personId).execute();
}
