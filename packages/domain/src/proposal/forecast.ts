import { isBefore } from '../shared/time.ts';
import { computeOutcome, type OutcomeInput, standingStances, type Tally } from './outcome.ts';

/**
 * What will happen to an open proposal if nobody changes their stance, read from `computeOutcome`
 * now and at the end of the feedback window (the tally does not depend on time, only the outcome does):
 * - `everyoneHasSpoken`: every eligible organization has a stance on the current text and none blocks;
 *   `at` is when it is adopted (null: it can be decided now);
 * - `adoptedAtWindowEnd`: a quorum, no block: adopted when the window ends (`at`) unless someone blocks;
 * - `adoptable`: the window has ended and the outcome is adopted: it waits for someone to decide it;
 * - `quorumMissing`: `needed` more stances on the current text before it can be adopted;
 * - `blocked`: standing blocks (`by`, organization ids) stop adoption; `secondRound` when the charter's
 *   fallback gives the block a second round instead.
 */
export type Forecast =
  | { readonly kind: 'everyoneHasSpoken'; readonly at: string | null; readonly tally: Tally }
  | { readonly kind: 'adoptedAtWindowEnd'; readonly at: string; readonly tally: Tally }
  | { readonly kind: 'adoptable'; readonly tally: Tally }
  | { readonly kind: 'quorumMissing'; readonly needed: number; readonly at: string; readonly tally: Tally }
  | {
      readonly kind: 'blocked';
      readonly by: readonly string[];
      readonly secondRound: boolean;
      readonly tally: Tally;
    };

/** The forecast of an open proposal (see {@link Forecast}); a pure function of the outcome's input. */
export function forecastOutcome(input: OutcomeInput): Forecast {
  const now = computeOutcome(input);
  const windowOpen = isBefore(input.now, input.feedbackEndsAt);
  const atEnd = windowOpen ? computeOutcome({ ...input, now: input.feedbackEndsAt }) : now;
  const tally = atEnd.tally;

  if (tally.block > 0 && atEnd.status !== 'adopted') {
    const by = [...standingStances(input).last]
      .filter(([, { stance }]) => stance === 'block')
      .map(([organizationId]) => organizationId);
    return { kind: 'blocked', by, secondRound: atEnd.status === 'open', tally };
  }
  if (now.status === 'adopted' && now.reason === 'everyoneHasSpoken')
    return { kind: 'everyoneHasSpoken', at: null, tally };
  if (atEnd.status === 'open')
    return {
      kind: 'quorumMissing',
      needed: Math.max(1, tally.quorumRequired - tally.counted),
      at: input.feedbackEndsAt,
      tally,
    };
  if (tally.eligible > 0 && tally.counted === tally.eligible)
    return { kind: 'everyoneHasSpoken', at: windowOpen ? input.feedbackEndsAt : null, tally };
  return windowOpen
    ? { kind: 'adoptedAtWindowEnd', at: input.feedbackEndsAt, tally }
    : { kind: 'adoptable', tally };
}
