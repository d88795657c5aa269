import { read } from '$lib/server/api';
import type { PageServerLoad } from './$types';

/** The partnerships the reader takes part in (a partner: theirs), with the closing of their last round. */
export const load: PageServerLoad = async ({ fetch }) => {
  const { partnerships } = await read(fetch, 'partnerships');
  const details = await Promise.all(
    partnerships
      .filter((partnership) => partnership.lastClosedRoundId && !partnership.openRound)
      .map((partnership) => read(fetch, 'partnership', { partnershipId: partnership.partnershipId })),
  );
  const lastClosedAt = Object.fromEntries(
    details.map((detail) => [
      detail.partnershipId,
      detail.rounds.find((round) => round.roundId === detail.lastClosedRoundId)?.closedAt ?? null,
    ]),
  );
  return { partnerships, lastClosedAt };
};
