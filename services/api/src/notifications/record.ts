import type { Delivery } from '@concord/contracts';
import type { Transaction } from 'kysely';
import type { ApiTables } from '../db.ts';
import type { Derived } from './handlers.ts';
import { queueKeyedMails } from './queue.ts';
import type { NotificationTables } from './table.ts';

type Trx = Transaction<ApiTables & NotificationTables>;

export type NotificationRow = NotificationTables['api.notifications'] & { notification_id: string | number };

/**
 * Writes notifications in the caller's transaction: one row per (person, cause) — a cause already
 * recorded for a person is skipped by the unique key, so a repeated batch or pass adds nothing — and, for
 * the people who want that kind at once, one outbox row keyed the same way. People who were forgotten or
 * have no account here are left out (there is nobody to tell).
 * @returns the rows that are new.
 */
export async function record(
  trx: Trx,
  derived: readonly Derived[],
  o: { position: number | null; now: Date; mail: boolean },
): Promise<NotificationRow[]> {
  const ids = [...new Set(derived.flatMap((item) => item.personIds))];
  if (ids.length === 0) return [];
  const people = await trx
    .selectFrom('auth.people')
    .leftJoin('api.notification_settings', 'api.notification_settings.person_id', 'auth.people.person_id')
    .select(['auth.people.person_id', 'api.notification_settings.deliveries'])
    .where('auth.people.person_id', 'in', ids)
    .where('auth.people.forgotten_at', 'is', null)
    .execute();
  const told = await mayBeTold(trx, ids);
  const deliveries = new Map(
    people.filter((row) => told.has(row.person_id)).map((row) => [row.person_id, row.deliveries ?? {}]),
  );
  const values = derived.flatMap((item) =>
    [...new Set(item.personIds)].flatMap((personId) => {
      const chosen = deliveries.get(personId);
      if (!chosen) return [];
      const delivery: Delivery = chosen[item.kind] ?? 'immediately';
      return [
        {
          person_id: personId,
          cause: item.cause,
          kind: item.kind,
          subject: JSON.stringify(item.subject) as unknown as Record<string, unknown>,
          position: o.position,
          created_at: o.now,
          read_at: null,
          delivery,
          digest_cause: null,
        },
      ];
    }),
  );
  if (values.length === 0) return [];
  const inserted = (await trx
    .insertInto('api.notifications')
    .values(values)
    .onConflict((oc) => oc.columns(['person_id', 'cause']).doNothing())
    .returningAll()
    .execute()) as NotificationRow[];
  if (o.mail) {
    const mails = inserted.filter((row) => row.delivery === 'immediately');
    await queueKeyedMails(
      trx,
      'notification',
      mails.map((row) => ({ personId: row.person_id, cause: row.cause })),
      o.now,
    );
  }
  return inserted;
}

/**
 * Of these people, those who may read what notifications are about: the live feed's rule
 * (`mayListen` in live/permissions.ts: a role in the coalition) as of the event — a facilitator or an
 * auditor, or a representative of a member organization (accepted and confirmed in the processor's fold).
 * A follower or proposer whose representation ended, or who was only invited, is told nothing.
 */
async function mayBeTold(trx: Trx, ids: readonly string[]): Promise<Set<string>> {
  const staff = await trx
    .selectFrom('auth.people')
    .select('person_id')
    .where('person_id', 'in', ids)
    .where('staff_role', 'is not', null)
    .execute();
  const representatives = await trx
    .selectFrom('api.notify_representatives')
    .select('person_id')
    .where('person_id', 'in', ids)
    .where('accepted', '=', true)
    .where('confirmed', '=', true)
    .execute();
  return new Set([...staff, ...representatives].map((row) => row.person_id));
}
