import { COALITION_PARTY, type DomainEvent } from '@concord/domain';
import type { Transaction } from 'kysely';
import type { ApiTables } from '../db.ts';
import { activeRepresentatives, type Derived } from './handlers.ts';
import type { NotificationTables } from './table.ts';

type Trx = Transaction<ApiTables & NotificationTables>;

/** An action is reminded this long before the end of its due day. */
const DUE_SOON_MS = 7 * 86_400_000;

/** The partnership events the processor folds (who takes part for a partner; actions and their status). */
export type PartnershipFoldEvent = Extract<
  DomainEvent,
  {
    type:
      | 'PartnerContactJoined'
      | 'PartnerContactRemoved'
      | 'PartnershipActionProposed'
      | 'PartnershipActionAgreed'
      | 'PartnershipActionFollowedUp';
  }
>;

/** Applies one partnership event to the processor's fold; none of them notifies by itself. */
export async function foldPartnership(trx: Trx, event: PartnershipFoldEvent): Promise<void> {
  switch (event.type) {
    case 'PartnerContactJoined': {
      const { partnershipId, organizationId, personId } = event.data;
      await trx
        .insertInto('api.notify_partner_contacts')
        .values({ partnership_id: partnershipId, organization_id: organizationId, person_id: personId })
        .onConflict((oc) => oc.doNothing())
        .execute();
      return;
    }
    case 'PartnerContactRemoved':
      await trx
        .deleteFrom('api.notify_partner_contacts')
        .where('partnership_id', '=', event.data.partnershipId)
        .where('organization_id', '=', event.data.organizationId)
        .where('person_id', '=', event.data.personId)
        .execute();
      return;
    case 'PartnershipActionProposed': {
      const { partnershipId, actionId, ownerPartyId, pillar, dueDate } = event.data;
      await trx
        .insertInto('api.notify_partnership_actions')
        .values({
          partnership_id: partnershipId,
          action_id: actionId,
          owner_party_id: ownerPartyId,
          pillar,
          due_date: dueDate,
          status: 'proposed',
        })
        .onConflict((oc) => oc.doNothing())
        .execute();
      return;
    }
    case 'PartnershipActionAgreed':
    case 'PartnershipActionFollowedUp':
      await trx
        .updateTable('api.notify_partnership_actions')
        .set({ status: event.type === 'PartnershipActionAgreed' ? 'agreed' : event.data.status })
        .where('partnership_id', '=', event.data.partnershipId)
        .where('action_id', '=', event.data.actionId)
        .execute();
      return;
  }
}

/**
 * The people of some parties of a partnership: the coalition's party is every active representative of
 * a member organization (each member answers for the coalition, with equal weight); a partner's is the
 * people who joined for it and were not removed.
 */
export async function peopleOfParties(
  trx: Trx,
  partnershipId: string,
  partyIds: readonly string[] | 'every',
): Promise<string[]> {
  const people = new Set<string>();
  if (partyIds === 'every' || partyIds.includes(COALITION_PARTY)) {
    for (const id of await activeRepresentatives(trx, 'every')) people.add(id);
  }
  const partners = partyIds === 'every' ? null : partyIds.filter((id) => id !== COALITION_PARTY);
  if (partners === null || partners.length > 0) {
    let query = trx
      .selectFrom('api.notify_partner_contacts')
      .select('person_id')
      .where('partnership_id', '=', partnershipId);
    if (partners) query = query.where('organization_id', 'in', partners);
    for (const row of await query.execute()) people.add(row.person_id);
  }
  return [...people];
}

/**
 * The time-driven reminders of agreed actions at `now`. A week before the end of its due day (UTC) the
 * owning party's people are told it is due (`actionDue`); once that day has ended and the action is
 * neither done nor dropped, every party's people are told it is overdue (`actionOverdue`): holding each
 * other to account is every party's part. The cause names the action and its due date, so each is said
 * once.
 */
export async function actionsFallingDue(trx: Trx, now: Date): Promise<Derived[]> {
  const horizon = new Date(now.getTime() + DUE_SOON_MS).toISOString().slice(0, 10);
  const actions = await trx
    .selectFrom('api.notify_partnership_actions')
    .selectAll()
    .where('status', 'in', ['agreed', 'inProgress'])
    .where('due_date', '<=', horizon)
    .execute();
  const derived: Derived[] = [];
  for (const action of actions) {
    const endsAt = Date.parse(`${action.due_date}T00:00:00Z`) + 86_400_000;
    const overdue = now.getTime() >= endsAt;
    // The horizon is a day: the week itself is counted to the end of the due day.
    if (!overdue && endsAt - now.getTime() > DUE_SOON_MS) continue;
    const kind = overdue ? 'actionOverdue' : 'actionDue';
    derived.push({
      personIds: await peopleOfParties(
        trx,
        action.partnership_id,
        overdue ? 'every' : [action.owner_party_id],
      ),
      kind,
      cause: `${kind}:${action.action_id}:${action.due_date}`,
      subject: {
        partnershipId: action.partnership_id,
        actionId: action.action_id,
        pillar: action.pillar,
        dueDate: action.due_date,
        ownerPartyId: action.owner_party_id,
      },
    });
  }
  return derived;
}
