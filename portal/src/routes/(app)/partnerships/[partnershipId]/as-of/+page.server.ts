import { COALITION_PARTY } from '@concord/domain';
import { read, readOptional } from '$lib/server/api';
import { isoDate, resultRows } from '$lib/server/partnerships';
import type { PageServerLoad } from './$types';

/**
 * A partnership as it stood (`GET /api/partnerships/:id/as-of`): on a day (`?on=2026-03-01`, its end in
 * UTC, as the form sends it), at a time (`?at=` an ISO time) or at a position of the history
 * (`?position=`). Its agreement then, its rounds (a closed one with the results recorded then), its
 * actions. Whoever may not read the partnership today gets the same 404 as its page.
 */
export const load: PageServerLoad = async ({ fetch, params, url }) => {
  const today = await read(fetch, 'partnership', { partnershipId: params.partnershipId });
  const search = url.searchParams;
  const on = isoDate(search.get('on') ?? '');
  const at = search.get('at');
  const atTime = at && !Number.isNaN(Date.parse(at)) ? new Date(at).toISOString() : null;
  const position = Number(search.get('position'));
  const moment = on
    ? { kind: 'day' as const, time: `${on}T23:59:59.999Z` }
    : atTime
      ? { kind: 'time' as const, time: atTime }
      : Number.isInteger(position) && position > 0
        ? { kind: 'position' as const, position }
        : null;
  const stood = moment
    ? await readOptional(
        fetch,
        'partnershipAsOf',
        { partnershipId: params.partnershipId },
        moment.kind === 'position' ? { position: moment.position } : { time: moment.time },
      )
    : null;
  const partyIds = stood?.partyIds ?? [
    COALITION_PARTY,
    ...today.partners.map((partner) => partner.organizationId),
  ];
  const closed = (stood?.rounds ?? []).filter((round) => round.results !== null);
  return {
    partnership: { partnershipId: today.partnershipId, title: today.title, partners: today.partners },
    moment,
    /** The day the form shows: the one asked for, else the day of the moment shown. */
    on: on ?? (atTime ?? stood?.asOf.recordedAt ?? new Date().toISOString()).slice(0, 10),
    stood: stood
      ? {
          position: stood.asOf.position,
          recordedAt: stood.asOf.recordedAt,
          agreement: stood.agreement,
          checkInEveryMonths: stood.schedule.checkInEveryMonths,
          partners: stood.partners,
          rounds: stood.rounds.map((round) => {
            const previous = round.results?.previousRoundId
              ? (closed.find((other) => other.roundId === round.results?.previousRoundId)?.results ?? null)
              : null;
            return {
              roundId: round.roundId,
              status: round.status,
              pooled: round.pooled,
              closesAt: round.closesAt,
              closedAt: round.closedAt,
              rows: round.results ? resultRows(round.results, previous, partyIds) : [],
              comments: round.results?.pooledComments ?? [],
            };
          }),
          actions: stood.actions,
        }
      : null,
    partyIds,
  };
};
