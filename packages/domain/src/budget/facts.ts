import { z } from 'zod';
import { amountSchema, currencySchema, idSchema } from '../shared/primitives.ts';
import type { BudgetState } from './decider.ts';
import { budgetLineSchema, grantCommitmentSchema } from './line.ts';

/**
 * What a proposal needs to know about a budget to route, recuse and check a change. Built by
 * `budgetFacts(state)` from the budget's own stream.
 */
export const budgetFactsSchema = z.object({
  budgetId: idSchema,
  currency: currencySchema,
  lines: z.record(idSchema, budgetLineSchema),
  grantCommitments: z.record(idSchema, grantCommitmentSchema),
  groupMoves: z
    .record(idSchema, z.record(idSchema, amountSchema))
    .default({})
    .describe("money each working group's executed decisions moved per line, counted up to the ceiling"),
});
export type BudgetFacts = z.infer<typeof budgetFactsSchema>;

/** The facts of a budget's current state, or null before it is opened. */
export function budgetFacts(state: BudgetState): BudgetFacts | null {
  if (state.status !== 'open') return null;
  const { budgetId, currency, lines, grantCommitments, groupMoves } = state;
  return { budgetId, currency, lines, grantCommitments, groupMoves };
}
