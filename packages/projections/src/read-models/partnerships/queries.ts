import { sql } from 'kysely';
import type { QueryContext } from '../query-context.ts';
import type {
  CheckInAnswerView,
  CheckInRoundView,
  PartnershipActionView,
  PartnershipDetail,
  PartnershipSummary,
  ReflectionView,
} from './schema.ts';
import {
  type PartnershipActionRow,
  type PartnershipAnswerRow,
  type PartnershipReflectionRow,
  type PartnershipRoundRow,
  type PartnershipRow,
  partnershipActions,
  partnershipAnswers,
  partnershipContacts,
  partnershipReflections,
  partnershipRounds,
  partnerships,
} from './table.ts';

/** Most reflections a search returns. */
export const REFLECTION_SEARCH_LIMIT = 100;

/** The partnerships read model's part of `ReadModels`. */
export interface PartnershipQueries {
  /**
   * Every partnership, oldest first: its partners and rhythm, the round open now (who answered, never
   * what) or null, the last closed round, and how many actions are open (neither done nor dropped) and
   * how many reflections it holds.
   */
  partnerships(): Promise<PartnershipSummary[]>;
  /**
   * One partnership (null when there is none): its summary, the agreement and the proposals that set it,
   * its contacts, its rounds newest first with their results as the domain computed them, its actions
   * with their follow-ups (oldest first), and its reflections newest first.
   */
  partnership(partnershipId: string): Promise<PartnershipDetail | null>;
  /**
   * Every organization's latest answer to a round, in the order they were given. Unfiltered: which of
   * them a person may see (a pooled round's member answers) is the API's to decide.
   */
  partnershipAnswers(partnershipId: string, roundId: string): Promise<CheckInAnswerView[]>;
  /** The partnerships where this person is a joined contact of a partner organization (not invited only). */
  partnershipIdsOfContact(personId: string): Promise<string[]>;
  /**
   * Reflections of every partnership whose text (what worked, what should change, strengths,
   * weaknesses, community outcomes, or what it is about) contains `query`, ignoring case and taking `%`
   * and `_` literally; newest first, at most 100.
   */
  searchReflections(query: string): Promise<ReflectionView[]>;
}

export function partnershipQueries(context: QueryContext): PartnershipQueries {
  const { q, all, allOf, allWhere, firstWhere } = context;

  /** Summaries of these partnerships, in their order, from their rounds, open actions and reflections. */
  async function summaries(rows: readonly PartnershipRow[]): Promise<PartnershipSummary[]> {
    if (rows.length === 0) return [];
    const ids = rows.map((row) => row.partnership_id);
    // Without the results: a summary needs only which rounds are open and which closed last.
    const rounds = await all<PartnershipRoundRow>(
      partnershipRounds,
      q
        .selectFrom('partnership_rounds')
        .select([
          'partnership_id',
          'round_id',
          'pooled',
          'opened_at',
          'closes_at',
          'closed_at',
          'answered_organization_ids',
        ])
        .where('partnership_id', 'in', ids)
        .orderBy('opened_at')
        .orderBy('round_id'),
    );
    const openActions = await q
      .selectFrom('partnership_actions')
      .select((eb) => ['partnership_id', eb.fn.countAll<string>().as('count')])
      .where('partnership_id', 'in', ids)
      .where('status', 'not in', ['done', 'dropped'])
      .groupBy('partnership_id')
      .execute();
    const reflections = await q
      .selectFrom('partnership_reflections')
      .select((eb) => ['partnership_id', eb.fn.countAll<string>().as('count')])
      .where('partnership_id', 'in', ids)
      .groupBy('partnership_id')
      .execute();
    const countOf = (counts: readonly { partnership_id: string; count: unknown }[], id: string) =>
      Number(counts.find((entry) => entry.partnership_id === id)?.count ?? 0);
    return rows.map((row) => {
      const own = rounds.filter((round) => round.partnership_id === row.partnership_id);
      const open = own.find((round) => round.closed_at === null);
      const lastClosed = own
        .filter((round) => round.closed_at !== null)
        .reduce<PartnershipRoundRow | null>(
          (last, round) =>
            last === null ||
            (round.closed_at as string) > (last.closed_at as string) ||
            (round.closed_at === last.closed_at && round.round_id > last.round_id)
              ? round
              : last,
          null,
        );
      return {
        partnershipId: row.partnership_id,
        title: row.title,
        partners: row.partners,
        checkInEveryMonths: row.check_in_every_months,
        establishedAt: row.established_at,
        openRound: open
          ? {
              roundId: open.round_id,
              closesAt: open.closes_at,
              pooled: open.pooled,
              answeredOrganizationIds: open.answered_organization_ids,
            }
          : null,
        lastClosedRoundId: lastClosed?.round_id ?? null,
        openActionCount: countOf(openActions, row.partnership_id),
        reflectionCount: countOf(reflections, row.partnership_id),
      };
    });
  }

  return {
    async partnerships() {
      const rows = await allOf(partnerships, 'established_at', 'partnership_id');
      return summaries(rows);
    },

    async partnership(partnershipId) {
      const row = await firstWhere(partnerships, 'partnership_id', partnershipId);
      if (!row) return null;
      const [summary] = await summaries([row]);
      const contacts = await allWhere(
        partnershipContacts,
        'partnership_id',
        partnershipId,
        'invited_at',
        'person_id',
      );
      const rounds = await allWhere(
        partnershipRounds,
        'partnership_id',
        partnershipId,
        ['opened_at', 'desc'],
        ['round_id', 'desc'],
      );
      const actions = await allWhere(
        partnershipActions,
        'partnership_id',
        partnershipId,
        'proposed_at',
        'action_id',
      );
      const reflections = await allWhere(
        partnershipReflections,
        'partnership_id',
        partnershipId,
        ['recorded_at', 'desc'],
        ['reflection_id', 'desc'],
      );
      return {
        ...(summary as PartnershipSummary),
        agreement: row.agreement,
        establishedByProposalId: row.established_by_proposal_id,
        agreementProposalId: row.agreement_proposal_id,
        agreementChangedAt: row.agreement_changed_at,
        contacts: contacts.map((contact) => ({
          personId: contact.person_id,
          organizationId: contact.organization_id,
          status: contact.status,
        })),
        rounds: rounds.map(toRoundView),
        actions: actions.map(toActionView),
        reflections: reflections.map(toReflectionView),
      };
    },

    async partnershipAnswers(partnershipId, roundId) {
      const rows = await all<PartnershipAnswerRow>(
        partnershipAnswers,
        q
          .selectFrom('partnership_answers')
          .selectAll()
          .where('partnership_id', '=', partnershipId)
          .where('round_id', '=', roundId)
          .orderBy('answered_at')
          .orderBy('organization_id'),
      );
      return rows.map((row) => ({
        partnershipId: row.partnership_id,
        roundId: row.round_id,
        organizationId: row.organization_id,
        partyId: row.party_id,
        answers: row.answers,
        evidence: row.evidence,
        language: row.language,
        answeredBy: row.answered_by,
        answeredAt: row.answered_at,
      }));
    },

    async partnershipIdsOfContact(personId) {
      const rows = await q
        .selectFrom('partnership_contacts')
        .select('partnership_id')
        .where('person_id', '=', personId)
        .where('status', '=', 'joined')
        .orderBy('partnership_id')
        .execute();
      return rows.map((row) => row.partnership_id);
    },

    async searchReflections(query) {
      const pattern = `%${escapeLike(query)}%`;
      const rows = await all<PartnershipReflectionRow>(
        partnershipReflections,
        q
          .selectFrom('partnership_reflections')
          .selectAll()
          .where((eb) =>
            eb.or([
              eb('what_worked', 'ilike', pattern),
              eb('what_should_change', 'ilike', pattern),
              eb('strengths', 'ilike', pattern),
              eb('weaknesses', 'ilike', pattern),
              eb('community_outcomes', 'ilike', pattern),
              eb(sql<string>`about->>'reference'`, 'ilike', pattern),
            ]),
          )
          .orderBy('recorded_at', 'desc')
          .orderBy('partnership_id', 'desc')
          .orderBy('reflection_id', 'desc')
          .limit(REFLECTION_SEARCH_LIMIT),
      );
      return rows.map(toReflectionView);
    },
  };
}

/** `text` for a LIKE pattern that matches it literally (backslash is PostgreSQL's default escape). */
export function escapeLike(text: string): string {
  return text.replace(/[\\%_]/g, (char) => `\\${char}`);
}

function toRoundView(row: PartnershipRoundRow): CheckInRoundView {
  return {
    roundId: row.round_id,
    pooled: row.pooled,
    openedAt: row.opened_at,
    closesAt: row.closes_at,
    closedAt: row.closed_at,
    results: row.results,
    answeredOrganizationIds: row.answered_organization_ids,
  };
}

function toActionView(row: PartnershipActionRow): PartnershipActionView {
  return {
    actionId: row.action_id,
    roundId: row.round_id,
    pillar: row.pillar,
    ownerPartyId: row.owner_party_id,
    dueDate: row.due_date,
    description: row.description,
    proposedBy: { partyId: row.proposed_by_party_id, organizationId: row.proposed_by_organization_id },
    proposedAt: row.proposed_at,
    agreedBy: row.agreed_by,
    status: row.status,
    agreedAt: row.agreed_at,
    followUps: row.follow_ups,
  };
}

function toReflectionView(row: PartnershipReflectionRow): ReflectionView {
  return {
    partnershipId: row.partnership_id,
    reflectionId: row.reflection_id,
    about: row.about,
    whatWorked: row.what_worked,
    whatShouldChange: row.what_should_change,
    strengths: row.strengths,
    weaknesses: row.weaknesses,
    communityOutcomes: row.community_outcomes,
    language: row.language,
    partyId: row.party_id,
    organizationId: row.organization_id,
    recordedBy: row.recorded_by,
    recordedAt: row.recorded_at,
  };
}
