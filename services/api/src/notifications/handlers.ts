import type { NotificationKind } from '@concord/contracts';
import { type DomainEvent, mentionedPersonIds } from '@concord/domain';
import type { Transaction } from 'kysely';
import type { ApiTables } from '../db.ts';
import { foldPartnership, peopleOfParties } from './partnerships.ts';
import type { NotificationTables } from './table.ts';

type Trx = Transaction<ApiTables & NotificationTables>;

/** Notifications one event causes: who, what kind, the cause that keys them, what they are about. */
export interface Derived {
  personIds: readonly string[];
  kind: NotificationKind;
  cause: string;
  subject: Record<string, string | number | boolean | null>;
}

/**
 * What a run of consecutive events of one kind in a batch shares, so that a run costs one statement, not
 * one per event: the proposals read for comments (a comment changes no fold), and the stances taken (the
 * latest per proposal and organization), written together by `settle`. `handle` empties both at any
 * other event, the stances written first.
 */
export interface Run {
  readonly proposals: Map<string, NotificationTables['api.notify_proposals'] | undefined>;
  readonly stances: Map<string, NotificationTables['api.notify_stances']>;
}

export const emptyRun = (): Run => ({ proposals: new Map(), stances: new Map() });

/** Writes the run's stances: before any other event is handled, and before the batch commits. */
export async function settle(trx: Trx, run: Run): Promise<void> {
  if (run.stances.size === 0) return;
  const rows = [...run.stances.values()];
  run.stances.clear();
  await trx
    .insertInto('api.notify_stances')
    .values(rows)
    .onConflict((oc) =>
      oc
        .columns(['proposal_id', 'organization_id'])
        .doUpdateSet((eb) => ({ revision: eb.ref('excluded.revision') })),
    )
    .execute();
}

/**
 * The events whose fold changes what `record` reads to decide who may be told (a representative's
 * acceptance and confirmation, a partner's contacts): the notifications derived before such an event are
 * recorded before it is applied.
 */
const WHO_MAY_BE_TOLD: ReadonlySet<DomainEvent['type']> = new Set<DomainEvent['type']>([
  'RepresentativeInvited',
  'RepresentativeAppointed',
  'RepresentativeJoined',
  'RepresentativeConfirmed',
  'RepresentativeRemoved',
  'MemberDeparted',
  'PartnerContactJoined',
  'PartnerContactRemoved',
]);

/** Whether `event` changes who may be told of a notification (see `record`'s rule). */
export function changesWhoMayBeTold(event: DomainEvent): boolean {
  return WHO_MAY_BE_TOLD.has(event.type);
}

/**
 * Applies one event to the processor's own fold (representatives, proposals, stances, questions) and says
 * whom it notifies. Runs inside the batch's transaction, so what it reads is the fold as of the event
 * before: the recipients are those of the moment the event happened, however late it is processed.
 *
 * Who may be told is decided here by the same facts that decide who may act: a proposal's deciding body
 * (its member organizations at opening), an organization's own representatives (its pending
 * confirmations), the person who asked (a question). Follows come on top and only ever name things every
 * person with a role may read (ADR 0019).
 */
export async function handle(
  trx: Trx,
  event: DomainEvent,
  eventId: string,
  run: Run = emptyRun(),
): Promise<Derived[]> {
  const cause = (kind: NotificationKind) => `${kind}:${eventId}`;
  // Only a run of comments (which change no fold) may share what was read: any other event may.
  if (event.type !== 'ProposalCommented') run.proposals.clear();
  if (event.type !== 'StanceTaken') await settle(trx, run);
  switch (event.type) {
    case 'RepresentativeInvited':
    case 'RepresentativeAppointed': {
      const { organizationId, personId } = event.data;
      const confirmed = event.type === 'RepresentativeAppointed' || event.data.confirmed;
      const before = await representative(trx, organizationId, personId);
      await upsertRepresentative(trx, organizationId, personId, before?.accepted ?? false, confirmed);
      return [];
    }
    case 'RepresentativeJoined':
    case 'RepresentativeConfirmed': {
      const { organizationId, personId } = event.data;
      const before = await representative(trx, organizationId, personId);
      if (!before) return [];
      const joined = event.type === 'RepresentativeJoined';
      await upsertRepresentative(
        trx,
        organizationId,
        personId,
        joined || before.accepted,
        !joined || before.confirmed,
      );
      // Accepted and waiting for the organization: its own representatives are asked, nobody else.
      if (!joined || before.confirmed) return [];
      return [
        {
          personIds: (await activeRepresentatives(trx, [organizationId])).filter((id) => id !== personId),
          kind: 'confirmationWaiting',
          cause: cause('confirmationWaiting'),
          subject: { organizationId, personId },
        },
      ];
    }
    case 'RepresentativeRemoved':
      await trx
        .deleteFrom('api.notify_representatives')
        .where('organization_id', '=', event.data.organizationId)
        .where('person_id', '=', event.data.personId)
        .execute();
      return [];
    case 'MemberDeparted':
      await trx
        .deleteFrom('api.notify_representatives')
        .where('organization_id', '=', event.data.organizationId)
        .execute();
      return [];
    case 'ProposalDrafted':
      await trx
        .insertInto('api.notify_proposals')
        .values({
          proposal_id: event.data.proposalId,
          title: event.data.title,
          proposer_id: event.data.proposer.personId,
          status: 'draft',
          member_ids: json([]),
          recused_ids: json([]),
          feedback_ends_at: null,
        })
        .onConflict((oc) => oc.column('proposal_id').doNothing())
        .execute();
      return [];
    case 'ProposalOpened': {
      const { proposalId, memberIds, recusals, feedbackEndsAt } = event.data;
      const proposal = await updateProposal(trx, proposalId, {
        status: 'open',
        member_ids: json(memberIds),
        recused_ids: json(recusals.map((recusal) => recusal.organizationId)),
        feedback_ends_at: new Date(feedbackEndsAt),
      });
      if (!proposal) return [];
      return [
        {
          personIds: await activeRepresentatives(trx, memberIds),
          kind: 'proposalOpened',
          cause: cause('proposalOpened'),
          subject: { proposalId, title: proposal.title, feedbackEndsAt },
        },
      ];
    }
    case 'ProposalSecondRoundStarted':
      await updateProposal(trx, event.data.proposalId, {
        feedback_ends_at: new Date(event.data.feedbackEndsAt),
      });
      return [];
    case 'StanceTaken': {
      const { proposalId, organizationId, revision } = event.data;
      run.stances.set(`${proposalId}\u0000${organizationId}`, {
        proposal_id: proposalId,
        organization_id: organizationId,
        revision,
      });
      return [];
    }
    case 'ProposalAmended': {
      const { proposalId, revision, title } = event.data;
      const proposal = await updateProposal(trx, proposalId, { title });
      if (proposal?.status !== 'open') return [];
      // Every organization whose stance is on an earlier text must look again.
      const stale = await trx
        .selectFrom('api.notify_stances')
        .select('organization_id')
        .where('proposal_id', '=', proposalId)
        .where('revision', '<', revision)
        .execute();
      if (stale.length === 0) return [];
      return [
        {
          personIds: await activeRepresentatives(
            trx,
            stale.map((row) => row.organization_id),
          ),
          kind: 'stanceNeedsReview',
          cause: cause('stanceNeedsReview'),
          subject: { proposalId, title, revision },
        },
      ];
    }
    case 'UndecidedReminded': {
      // Exactly the organizations the facilitator's reminder names (the domain chose them as of the
      // command); their representatives as of the event.
      const { proposalId, organizationIds } = event.data;
      const proposal = await proposalRow(trx, proposalId);
      if (!proposal) return [];
      return [
        {
          personIds: await activeRepresentatives(trx, organizationIds),
          kind: 'undecidedReminder',
          cause: cause('undecidedReminder'),
          subject: {
            proposalId,
            title: proposal.title,
            feedbackEndsAt: proposal.feedback_ends_at
              ? new Date(proposal.feedback_ends_at).toISOString()
              : null,
          },
        },
      ];
    }
    case 'ProposalCommented': {
      // Each person mentioned by an `@{personId}` token, once per comment (the cause is the event), never
      // the author; whether they may read the proposal is `record`'s rule, as for every notification.
      const { proposalId, commentId, text, personId } = event.data;
      const mentioned = mentionedPersonIds(text).filter((id) => id !== personId);
      if (mentioned.length === 0) return [];
      if (!run.proposals.has(proposalId)) run.proposals.set(proposalId, await proposalRow(trx, proposalId));
      const proposal = run.proposals.get(proposalId);
      if (!proposal) return [];
      return [
        {
          personIds: mentioned,
          kind: 'mentioned',
          cause: cause('mentioned'),
          subject: { proposalId, title: proposal.title, commentId },
        },
      ];
    }
    case 'ProposalWithdrawn':
      await updateProposal(trx, event.data.proposalId, { status: 'withdrawn' });
      return [];
    case 'CheckInRoundOpened': {
      // Every party answers a partnership's check-in: each member organization's representatives and the
      // partners' people are asked.
      const { partnershipId, roundId, closesAt } = event.data;
      return [
        {
          personIds: await peopleOfParties(trx, partnershipId, 'every'),
          kind: 'checkInOpened',
          cause: cause('checkInOpened'),
          subject: { partnershipId, roundId, closesAt },
        },
      ];
    }
    case 'PartnerContactJoined':
    case 'PartnerContactRemoved':
    case 'PartnershipActionProposed':
    case 'PartnershipActionAgreed':
    case 'PartnershipActionFollowedUp':
      await foldPartnership(trx, event);
      return [];
    case 'ProposalDecided': {
      const { proposalId, outcome, reason } = event.data;
      const proposal = await updateProposal(trx, proposalId, { status: 'decided' });
      if (!proposal) return [];
      return [
        {
          personIds: await bodyAndFollowers(trx, proposal),
          kind: 'decisionTaken',
          cause: cause('decisionTaken'),
          subject: { proposalId, title: proposal.title, outcome, reason },
        },
      ];
    }
    case 'ProposalExecuted':
    case 'ProposalExecutionFailed': {
      const proposal = await proposalRow(trx, event.data.proposalId);
      if (!proposal) return [];
      const kind = event.type === 'ProposalExecuted' ? 'decisionExecuted' : 'executionFailed';
      return [
        {
          personIds: await bodyAndFollowers(trx, proposal),
          kind,
          cause: cause(kind),
          subject: {
            proposalId: proposal.proposal_id,
            title: proposal.title,
            ...(event.type === 'ProposalExecutionFailed' ? { failure: event.data.failure.code } : {}),
          },
        },
      ];
    }
    case 'BudgetLineAllocationChanged':
    case 'BudgetLineSpent':
    case 'GrantFundsCommitted':
    case 'GrantFundsDisbursed':
    case 'BudgetLineStewardshipChanged': {
      const { budgetId, lineId } = event.data;
      return [
        {
          personIds: await followers(trx, 'budgetLine', lineId),
          kind: 'budgetLineChanged',
          cause: cause('budgetLineChanged'),
          subject: { budgetId, lineId, change: event.type, proposalId: event.data.execution.proposalId },
        },
      ];
    }
    case 'BudgetQuestionRaised':
      await trx
        .insertInto('api.notify_questions')
        .values({
          question_id: event.data.questionId,
          line_id: event.data.lineId,
          asker_id: event.data.personId,
        })
        .onConflict((oc) => oc.column('question_id').doNothing())
        .execute();
      return [];
    case 'BudgetQuestionAnswered': {
      const { budgetId, questionId } = event.data;
      const question = await trx
        .selectFrom('api.notify_questions')
        .selectAll()
        .where('question_id', '=', questionId)
        .executeTakeFirst();
      const people = new Set(await followers(trx, 'budgetQuestion', questionId));
      if (question) people.add(question.asker_id);
      return [
        {
          personIds: [...people],
          kind: 'questionAnswered',
          cause: cause('questionAnswered'),
          subject: { budgetId, questionId, lineId: question?.line_id ?? null },
        },
      ];
    }
    default:
      return [];
  }
}

/** A jsonb value (Kysely would send an array as a PostgreSQL array). */
function json(value: readonly string[]): string[] {
  return JSON.stringify(value) as unknown as string[];
}

async function representative(trx: Trx, organizationId: string, personId: string) {
  return trx
    .selectFrom('api.notify_representatives')
    .selectAll()
    .where('organization_id', '=', organizationId)
    .where('person_id', '=', personId)
    .executeTakeFirst();
}

async function upsertRepresentative(
  trx: Trx,
  organizationId: string,
  personId: string,
  accepted: boolean,
  confirmed: boolean,
): Promise<void> {
  await trx
    .insertInto('api.notify_representatives')
    .values({ organization_id: organizationId, person_id: personId, accepted, confirmed })
    .onConflict((oc) => oc.columns(['organization_id', 'person_id']).doUpdateSet({ accepted, confirmed }))
    .execute();
}

/**
 * The people who represent these organizations (or every member organization) now: accepted and
 * confirmed (the domain's `active`).
 */
export async function activeRepresentatives(
  trx: Trx,
  organizationIds: readonly string[] | 'every',
): Promise<string[]> {
  if (organizationIds.length === 0) return [];
  let query = trx
    .selectFrom('api.notify_representatives')
    .select('person_id')
    .where('accepted', '=', true)
    .where('confirmed', '=', true);
  if (organizationIds !== 'every') query = query.where('organization_id', 'in', organizationIds);
  return [...new Set((await query.execute()).map((row) => row.person_id))];
}

async function followers(trx: Trx, type: 'proposal' | 'budgetLine' | 'budgetQuestion', id: string) {
  const rows = await trx
    .selectFrom('api.notification_follows')
    .select('person_id')
    .where('subject_type', '=', type)
    .where('subject_id', '=', id)
    .execute();
  return rows.map((row) => row.person_id);
}

type ProposalRow = NotificationTables['api.notify_proposals'];

async function proposalRow(trx: Trx, proposalId: string): Promise<ProposalRow | undefined> {
  return trx
    .selectFrom('api.notify_proposals')
    .selectAll()
    .where('proposal_id', '=', proposalId)
    .executeTakeFirst();
}

async function updateProposal(
  trx: Trx,
  proposalId: string,
  set: Partial<ProposalRow>,
): Promise<ProposalRow | undefined> {
  return trx
    .updateTable('api.notify_proposals')
    .set(set)
    .where('proposal_id', '=', proposalId)
    .returningAll()
    .executeTakeFirst();
}

/** The deciding body's representatives, the proposer and the proposal's followers. */
async function bodyAndFollowers(trx: Trx, proposal: ProposalRow): Promise<string[]> {
  const people = new Set(await activeRepresentatives(trx, proposal.member_ids));
  people.add(proposal.proposer_id);
  for (const id of await followers(trx, 'proposal', proposal.proposal_id)) people.add(id);
  return [...people];
}
