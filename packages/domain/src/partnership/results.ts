import { z } from 'zod';
import { idSchema, textSchema } from '../shared/primitives.ts';
import { ELEMENTS, type ElementId, PILLARS, type PillarId, pillarSchema, type Rating } from './pillars.ts';

/** The coalition as a party: its member organizations answer within it, each with an equal weight. */
export const COALITION_PARTY = 'coalition';

/**
 * Fewest ratings of the coalition's member organizations that a pooled round shows as a sum: with fewer,
 * a member (or a partner who knows the others' answers) could single one answer out.
 */
export const POOLING_THRESHOLD = 3;

/** One party's ratings of one pillar in a closed round. */
export const partyResultSchema = z.object({
  partyId: idSchema.describe(`"${COALITION_PARTY}" or the partner organization's id`),
  answered: z.int().min(0).describe('organizations of the party that answered the round'),
  rated: z.int().min(0).describe('of them, those that rated the pillar (not "don\'t know")'),
  dontKnow: z.int().min(0),
  sum: z
    .int()
    .min(0)
    .nullable()
    .describe('the sum of the ratings; null when a pooled round withholds it (fewer than three ratings)'),
});
export type PartyResult = z.infer<typeof partyResultSchema>;

/** What a closed round shows: per pillar and party, and the comments a pooled round may show. */
export const roundResultsSchema = z
  .object({
    pooled: z.boolean(),
    previousRoundId: idSchema.nullable().describe('the round before, for the change since'),
    pillars: z.array(z.object({ pillar: pillarSchema, parties: z.array(partyResultSchema) })),
    pooledComments: z
      .array(z.object({ pillar: pillarSchema, text: textSchema }))
      .describe("the coalition's comments of a pooled round, unattributed and in text order"),
  })
  .meta({ id: 'CheckInResults', description: 'the results of a closed check-in round' });
export type RoundResults = z.infer<typeof roundResultsSchema>;

/** One organization's answer, as the results need it. */
export interface AnswerForResults {
  readonly partyId: string;
  readonly ratings: readonly {
    readonly pillar: PillarId;
    readonly rating: Rating;
    readonly comment: string;
  }[];
}

/**
 * The results of a round from its answers: per pillar, per party, how many answered, rated and did not
 * know, and the sum of the ratings. In a pooled round the coalition's sum of a pillar is withheld when
 * fewer than `POOLING_THRESHOLD` member organizations rated it, and its comments are shown only when at
 * least that many answered, without names and in text order — so the results depend on which answers
 * were given, never on who gave them. Partners speak for themselves: theirs are never pooled.
 */
export function roundResults(
  answers: readonly AnswerForResults[],
  partyIds: readonly string[],
  pooled: boolean,
  previousRoundId: string | null,
): RoundResults {
  const answeredBy = (partyId: string) => answers.filter((answer) => answer.partyId === partyId);
  const coalitionAnswered = answeredBy(COALITION_PARTY).length;
  const pillars = PILLARS.map((pillar) => ({
    pillar,
    parties: partyIds.map((partyId): PartyResult => {
      const ratings = answeredBy(partyId).map(
        (answer) => answer.ratings.find((rating) => rating.pillar === pillar)?.rating ?? null,
      );
      const given = ratings.filter((rating): rating is number => rating !== null);
      const withheld = pooled && partyId === COALITION_PARTY && given.length < POOLING_THRESHOLD;
      return {
        partyId,
        answered: ratings.length,
        rated: given.length,
        dontKnow: ratings.length - given.length,
        sum: withheld ? null : given.reduce((total, rating) => total + rating, 0),
      };
    }),
  }));
  const pooledComments =
    pooled && coalitionAnswered >= POOLING_THRESHOLD
      ? answeredBy(COALITION_PARTY)
          .flatMap((answer) => answer.ratings)
          .filter((rating) => rating.comment !== '')
          .map(({ pillar, comment }) => ({ pillar, text: comment }))
          .sort((a, b) => (a.text < b.text ? -1 : a.text > b.text ? 1 : 0))
      : [];
  return { pooled, previousRoundId, pillars, pooledComments };
}

/** A party's mean rating of a pillar (1 to 4), or null when none rated it or the round withheld it. */
export function meanOf(result: PartyResult | undefined): number | null {
  return result && result.sum !== null && result.rated > 0 ? result.sum / result.rated : null;
}

/** A party's result for a pillar in a round's results. */
export function resultFor(results: RoundResults, pillar: PillarId, partyId: string): PartyResult | undefined {
  return results.pillars.find((entry) => entry.pillar === pillar)?.parties.find((p) => p.partyId === partyId);
}

/**
 * The perception gap on a pillar: how much higher a partner rates it than the coalition's member
 * organizations do (negative: lower), or null when either mean is not shown.
 */
export function perceptionGap(results: RoundResults, pillar: PillarId, partnerId: string): number | null {
  const partner = meanOf(resultFor(results, pillar, partnerId));
  const coalition = meanOf(resultFor(results, pillar, COALITION_PARTY));
  return partner === null || coalition === null ? null : partner - coalition;
}

/** How a party's mean rating of a pillar changed since the previous round, or null when not comparable. */
export function changeSince(
  previous: RoundResults | null,
  current: RoundResults,
  pillar: PillarId,
  partyId: string,
): number | null {
  if (!previous) return null;
  const before = meanOf(resultFor(previous, pillar, partyId));
  const now = meanOf(resultFor(current, pillar, partyId));
  return before === null || now === null ? null : now - before;
}

/** A party's mean over an element: the mean of its pillars' shown means, or null when none is shown. */
export function elementMean(results: RoundResults, element: ElementId, partyId: string): number | null {
  const means = ELEMENTS[element]
    .map((pillar) => meanOf(resultFor(results, pillar, partyId)))
    .filter((mean): mean is number => mean !== null);
  return means.length ? means.reduce((total, mean) => total + mean, 0) / means.length : null;
}
