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
 * have no account here are left out (there is nobody to tell). The derived notifications of several events
 * go in one call (one read of each kind, one INSERT of each table), each with its own event's position.
 * @returns the rows that are new.
 */
export async function record(
  trx: Trx,
  derived: readonly (Derived & { position?: number })[],
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
  const mayBeTold = await whoMayBeTold(trx, ids);
  const deliveries = new Map(people.map((row) => [row.person_id, row.deliveries ?? {}]));
  const values = derived.flatMap((item) =>
    [...new Set(item.personIds)].flatMap((personId) => {
      const chosen = deliveries.get(personId);
      if (!chosen || !mayBeTold(personId, item)) return [];
      const delivery: Delivery = chosen[item.kind] ?? 'immediately';
      return [
        {
          person_id: personId,
          cause: item.cause,
          kind: item.kind,
          subject: JSON.stringify(item.subject) as unknown as Record<string, unknown>,
          position: item.position ?? o.position,
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
 * Who of these people may read what a notification is about: the live feed's rule (`mayListen` in
 * live/permissions.ts: a role in the coalition) as of the event — a facilitator or an auditor, or a
 * representative of a member organization (accepted and confirmed in the processor's fold). A partner's
 * person may be told of their own partnership only (ADR 0027), never of a proposal they were mentioned in.
 * A follower or proposer whose representation ended, or who was only invited, is told nothing.
 */
async function whoMayBeTold(
  trx: Trx,
  ids: readonly string[],
): Promise<(personId: string, item: Derived) => boolean> {
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
  const coalition = new Set([...staff, ...representatives].map((row) => row.person_id));
  const partners = await trx
    .selectFrom('api.notify_partner_contacts')
    .select(['person_id', 'partnership_id'])
    .where('person_id', 'in', ids)
    .execute();
  const partnerships = new Set(partners.map((row) => `${row.person_id} ${row.partnership_id}`));
  return (personId, item) =>
    coalition.has(personId) ||
    (typeof item.subject.partnershipId === 'string' &&
      partnerships.has(`${personId} ${item.subject.partnershipId}`));
}
