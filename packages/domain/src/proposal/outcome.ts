import { z } from 'zod';
import type { DecisionRules } from '../charter/rules.ts';
import type { Ratio } from '../shared/primitives.ts';
import { isBefore } from '../shared/time.ts';
import type { Stance } from './stance.ts';

/** One stance as the outcome sees it: whose, which, and on which revision of the text. */
export interface CountedStance {
  readonly organizationId: string;
  readonly stance: Stance;
  readonly revision: number;
}

/** Everything an outcome depends on. Nothing else (not money, not who proposed) can change it. */
export interface OutcomeInput {
  readonly rules: DecisionRules;
  /** The deciding body's member organizations when the proposal opened. */
  readonly memberIds: readonly string[];
  readonly recusedIds: readonly string[];
  /** In the order taken: an organization's last stance counts. */
  readonly stances: readonly CountedStance[];
  /** The proposal's current revision: a stance on an earlier one needs review. */
  readonly revision: number;
  readonly round: 1 | 2;
  readonly feedbackEndsAt: string;
  readonly now: string;
}

/** The count behind an outcome, shown to members. */
export const tallySchema = z
  .object({
    eligible: z.int().describe('members of the deciding body at opening, minus recused organizations'),
    quorumRequired: z.int(),
    counted: z.int().describe('eligible organizations with a stance on the current text'),
    consent: z.int(),
    concerns: z.int(),
    standAside: z.int(),
    block: z.int().describe('standing blocks, including blocks on an earlier text not yet reviewed'),
    needsReview: z.int().describe('stances on an earlier text, to be reviewed after an amendment'),
  })
  .meta({ id: 'Tally', description: 'the count behind an outcome' });
export type Tally = z.infer<typeof tallySchema>;

/** Why a proposal is adopted, not adopted, or still open. */
export const outcomeSchema = z.discriminatedUnion('status', [
  z.object({
    status: z.literal('open'),
    reason: z.enum(['feedbackWindowOpen', 'quorumNotMet', 'secondRoundRequired']),
    tally: tallySchema,
  }),
  z.object({
    status: z.literal('adopted'),
    reason: z.enum(['consensus', 'everyoneHasSpoken', 'fallbackSupermajority']),
    tally: tallySchema,
  }),
  z.object({ status: z.literal('notAdopted'), reason: z.literal('blocked'), tally: tallySchema }),
]);
export type Outcome = z.infer<typeof outcomeSchema>;

function atLeast(part: number, whole: number, ratio: Ratio): boolean {
  return part * ratio.denominator >= whole * ratio.numerator;
}

/**
 * The organizations that may decide (members of the body at opening, not recused) and the last stance of
 * each of them: the only stances that count.
 */
export function standingStances(input: Pick<OutcomeInput, 'memberIds' | 'recusedIds' | 'stances'>): {
  eligible: Set<string>;
  last: Map<string, CountedStance>;
} {
  const recused = new Set(input.recusedIds);
  const eligible = new Set(input.memberIds.filter((id) => !recused.has(id)));
  const last = new Map<string, CountedStance>();
  for (const stance of input.stances) {
    if (eligible.has(stance.organizationId)) last.set(stance.organizationId, stance);
  }
  return { eligible, last };
}

/**
 * The outcome of a proposal, as a pure function of the charter's rules, the deciding body at opening,
 * the recusals, the stances and the time:
 * 1. before the feedback window ends, it is open — unless the charter lets everyone having spoken end
 *    the wait: every eligible organization has a stance on the current text and none blocks, so it is
 *    adopted (`everyoneHasSpoken`; concerns and stand-asides count as spoken);
 * 2. without a quorum of stances on the current text (at least one), it is open;
 * 3. with no standing block, it is adopted by consensus;
 * 4. with a block and no fallback in the charter, it is not adopted;
 * 5. with a block and a fallback: a first round needs a second round; in the second, it is adopted when
 *    supporting stances (consent, concerns) reach the supermajority of supporting and blocking stances.
 * Only the last stance of each eligible organization counts; recused and non-member organizations never
 * count. A block on an earlier text still stands until its organization reviews it.
 */
export function computeOutcome(input: OutcomeInput): Outcome {
  const { eligible, last } = standingStances(input);
  const tally: Tally = {
    eligible: eligible.size,
    quorumRequired: Math.max(
      1,
      Math.ceil((eligible.size * input.rules.quorum.numerator) / input.rules.quorum.denominator),
    ),
    counted: 0,
    consent: 0,
    concerns: 0,
    standAside: 0,
    block: 0,
    needsReview: 0,
  };
  for (const { stance, revision } of last.values()) {
    if (revision === input.revision) {
      tally.counted += 1;
      tally[stance] += 1;
    } else {
      tally.needsReview += 1;
      if (stance === 'block') tally.block += 1;
    }
  }

  if (isBefore(input.now, input.feedbackEndsAt)) {
    // The window exists so that everyone can speak; once everyone has, and nobody objects, waiting
    // protects no one. A block, or anyone still silent (or with a stance on an older text), keeps it.
    const everyoneHasSpoken = tally.eligible > 0 && tally.counted === tally.eligible && tally.block === 0;
    return input.rules.decideWhenAllHaveSpoken && everyoneHasSpoken
      ? { status: 'adopted', reason: 'everyoneHasSpoken', tally }
      : { status: 'open', reason: 'feedbackWindowOpen', tally };
  }
  if (tally.counted < tally.quorumRequired) return { status: 'open', reason: 'quorumNotMet', tally };
  if (tally.block === 0) return { status: 'adopted', reason: 'consensus', tally };
  const fallback = input.rules.blockFallback;
  if (!fallback) return { status: 'notAdopted', reason: 'blocked', tally };
  if (input.round === 1) return { status: 'open', reason: 'secondRoundRequired', tally };
  const supporting = tally.consent + tally.concerns;
  return atLeast(supporting, supporting + tally.block, fallback.supermajority)
    ? { status: 'adopted', reason: 'fallbackSupermajority', tally }
    : { status: 'notAdopted', reason: 'blocked', tally };
}
