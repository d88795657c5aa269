import { z } from 'zod';
import { budgetFactsSchema } from '../budget/facts.ts';
import { decisionRulesSchema } from '../charter/rules.ts';
import { grantApplicationFactsSchema } from '../grant/facts.ts';
import { idSchema } from '../shared/primitives.ts';
import { workingGroupFactsSchema } from '../working-group/facts.ts';

/**
 * The facts from other aggregates that opening (or re-checking an amended) proposal needs. The
 * application layer fills it from their current states, never from what the proposer typed:
 * - `rules`: the charter's decision rules (`charterState.rules`);
 * - `coalitionMemberIds`: every admitted, not departed member organization;
 * - `representedMemberIds`: those of them with at least one active representative;
 * - `workingGroups`: `workingGroupFacts` of every working group (at least those the payload names or
 *   whose lines it touches);
 * - `budget`: `budgetFacts` of the budget a budget-change or grant-award proposal targets (null before
 *   it is opened, and for other kinds);
 * - `grantApplication`: `grantApplicationFacts` of the application a grant award targets (null otherwise);
 * - `partnership`: `partnershipFacts` of the partnership a partnership proposal names (null otherwise, or
 *   when it does not exist yet).
 */
export const decisionContextSchema = z.object({
  rules: decisionRulesSchema,
  coalitionMemberIds: z.array(idSchema),
  representedMemberIds: z.array(idSchema),
  workingGroups: z.array(workingGroupFactsSchema),
  budget: budgetFactsSchema.nullable(),
  grantApplication: grantApplicationFactsSchema.nullable(),
  partnership: z
    .object({ partnershipId: idSchema })
    .nullable()
    .default(null)
    .describe('the partnership a partnership proposal names, if it exists'),
});
export type DecisionContext = z.infer<typeof decisionContextSchema>;
