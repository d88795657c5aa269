import { z } from 'zod';

// Shapes several read models' schemas share. Money is an integer number of minor units with its currency
// beside it; times are ISO-8601 strings; positions are the store's global positions. Imports zod only:
// the browser-facing contracts reach these through `@concord/projections/schemas`.

/** An ISO-8601 time as the read models return it. */
export const iso = z.string().describe('an ISO-8601 time');

/** An amount of money in minor units (its currency is a sibling field). */
export const money = z.int().describe('minor units (cents)');

/** Who decides a proposal (or decided a change): the whole coalition or one working group. */
export const decidingBodySchema = z
  .discriminatedUnion('type', [
    z.object({ type: z.literal('coalition') }),
    z.object({ type: z.literal('workingGroup'), groupId: z.string() }),
  ])
  .meta({ id: 'DecidingBodyView' });
export type DecidingBody = z.infer<typeof decidingBodySchema>;

/**
 * The running totals of a budget line (and, summed, of a budget): `remaining` is allocated less committed
 * and spent; `paid` is the part of `spent` recorded as paid.
 */
export const totals = { allocated: money, committed: money, spent: money, paid: money, remaining: money };
export type BudgetTotals = z.infer<z.ZodObject<typeof totals>>;

/** A budget's totals: its lines' figures added up. */
export function sumTotals(lines: readonly BudgetTotals[]): BudgetTotals {
  const sum = (pick: (line: BudgetTotals) => number) => lines.reduce((total, line) => total + pick(line), 0);
  return {
    allocated: sum((line) => line.allocated),
    committed: sum((line) => line.committed),
    spent: sum((line) => line.spent),
    paid: sum((line) => line.paid),
    remaining: sum((line) => line.remaining),
  };
}
