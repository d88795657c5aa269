import { COALITION_PARTY, PILLARS } from '@concord/domain';
import { read } from '$lib/server/api';
import { may } from '$lib/server/may';
import { partnershipActions, partyOf, resultRows } from '$lib/server/partnerships';
import type { Actions, PageServerLoad } from './$types';

/**
 * A partnership: its parties and agreement, the open round (or the facilitator's forms to open one and
 * invite a partner's person), the results of the latest closed round (an earlier one by `?round=`), the
 * actions and the shared learning (searched by `?q=`).
 */
export const load: PageServerLoad = async ({ fetch, params, locals, url }) => {
  const partnership = await read(fetch, 'partnership', { partnershipId: params.partnershipId });
  const person = locals.person;
  const party = partyOf(person, partnership);
  const partyIds = [COALITION_PARTY, ...partnership.partners.map((partner) => partner.organizationId)];
  const openRound = partnership.rounds.find((round) => round.closedAt === null) ?? null;
  const closed = partnership.rounds.filter((round) => round.closedAt !== null && round.results !== null);
  const chosen = closed.find((round) => round.roundId === url.searchParams.get('round')) ?? closed[0] ?? null;
  const previous = chosen?.results?.previousRoundId
    ? (closed.find((round) => round.roundId === chosen.results?.previousRoundId)?.results ?? null)
    : null;
  const q = (url.searchParams.get('q') ?? '').trim().slice(0, 200);
  const found = q
    ? (await read(fetch, 'reflections', {}, { q })).reflections.filter(
        (reflection) => reflection.partnershipId === partnership.partnershipId,
      )
    : null;
  const isPartner = person?.role === 'partner';
  return {
    partnership: {
      partnershipId: partnership.partnershipId,
      title: partnership.title,
      partners: partnership.partners,
      agreement: partnership.agreement,
    },
    partyIds,
    /** The thirteen pillars in the domain's order (the action form offers them). */
    pillars: PILLARS,
    party,
    isFacilitator: person?.role === 'facilitator',
    openRound: openRound
      ? {
          roundId: openRound.roundId,
          closesAt: openRound.closesAt,
          pooled: openRound.pooled,
          // A partner has no members list: they read how many answered, never who.
          answeredCount: openRound.answeredOrganizationIds.length,
          answeredIds: isPartner ? [] : openRound.answeredOrganizationIds,
        }
      : null,
    canAnswer: !!openRound && party !== null && may(person, 'AnswerCheckIn'),
    myOrganizationName: locals.person?.organizationId
      ? (partnership.partners.find((partner) => partner.organizationId === locals.person?.organizationId)
          ?.name ?? null)
      : null,
    rounds: closed.map((round) => ({ roundId: round.roundId, closedAt: round.closedAt as string })),
    chosen: chosen
      ? {
          roundId: chosen.roundId,
          closedAt: chosen.closedAt as string,
          pooled: chosen.pooled,
          rows: chosen.results ? resultRows(chosen.results, previous, partyIds) : [],
          comments: chosen.results?.pooledComments ?? [],
        }
      : null,
    latestClosedRoundId: closed[0]?.roundId ?? null,
    actions: partnership.actions,
    reflections: found ?? partnership.reflections,
    q,
    searched: found !== null,
    canPropose: party !== null && may(person, 'ProposePartnershipAction'),
    canAgree: party !== null && may(person, 'AgreeToPartnershipAction'),
    canFollowUp: party !== null && may(person, 'FollowUpPartnershipAction'),
    canReflect: party !== null && may(person, 'RecordReflection'),
  };
};

export const actions: Actions = partnershipActions;
