import { z } from 'zod';
import { type DomainError, domainError } from '../errors.ts';
import { type Ratio, ratioSchema } from '../shared/primitives.ts';

/**
 * How the coalition decides. Changed only by an adopted charter proposal of the full coalition; each
 * proposal keeps a copy of the rules in force when it opened.
 */
export const decisionRulesSchema = z
  .object({
    quorum: ratioSchema.describe('share of the deciding body that must give a stance, e.g. 2/3'),
    minimumFeedbackHours: z.int().min(0).max(8_760).describe('time a proposal stays open before a decision'),
    urgentPath: z
      .object({ minimumFeedbackHours: z.int().min(0).max(8_760) })
      .nullable()
      .describe('a shorter window for urgent proposals; null when the charter allows none'),
    blockFallback: z
      .object({ supermajority: ratioSchema })
      .nullable()
      .describe(
        'after a blocked first round, a second round may adopt despite blocks with this share of supporting stances; null (off) by default',
      ),
    decideWhenAllHaveSpoken: z
      .boolean()
      .default(false)
      .describe(
        'a proposal may be decided before its feedback window ends once every eligible organization has taken a stance on the current text and none blocks (on in the default charter; rules recorded before this option existed read as off)',
      ),
  })
  .meta({ id: 'DecisionRules', description: 'how the coalition decides' });
export type DecisionRules = z.infer<typeof decisionRulesSchema>;

/**
 * Two thirds quorum, seven days of feedback, no urgent path, no block fallback; a proposal may be
 * decided early once everyone has spoken and nobody blocks.
 */
export const defaultDecisionRules: DecisionRules = {
  quorum: { numerator: 2, denominator: 3 },
  minimumFeedbackHours: 168,
  urgentPath: null,
  blockFallback: null,
  decideWhenAllHaveSpoken: true,
};

function isProperFraction(ratio: Ratio): boolean {
  return ratio.numerator <= ratio.denominator;
}

/** Refuses rules that cannot work (a quorum above 100%, an "urgent" path slower than the normal one). */
export function checkDecisionRules(rules: DecisionRules): DomainError | null {
  const sound =
    isProperFraction(rules.quorum) &&
    (rules.blockFallback === null || isProperFraction(rules.blockFallback.supermajority)) &&
    (rules.urgentPath === null || rules.urgentPath.minimumFeedbackHours < rules.minimumFeedbackHours);
  return sound ? null : domainError('INVALID_DECISION_RULES');
}
