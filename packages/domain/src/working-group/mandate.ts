import { z } from 'zod';
import {
  currencySchema,
  idSchema,
  LIST_LIMITS,
  positiveAmountSchema,
  textSchema,
} from '../shared/primitives.ts';

/** A budget line, named by its budget and line ids. */
export const lineRefSchema = z
  .object({ budgetId: idSchema, lineId: idSchema })
  .meta({ id: 'LineRef', description: 'a budget line, by budget and line id' });
export type LineRef = z.infer<typeof lineRefSchema>;

/** A limit on the money a working group may move on one line: an amount, a share of the line, or both. */
export const limitSchema = z
  .object({
    maxAmount: z
      .object({ amount: positiveAmountSchema, currency: currencySchema })
      .nullable()
      .describe('most money that may move on a line, e.g. USD 10,000 as 1000000 cents'),
    maxShareBasisPoints: z
      .int()
      .min(1)
      .max(10_000)
      .nullable()
      .describe("most that may move on a line as a share of the line's allocation, 500 = 5%"),
  })
  .meta({ id: 'Limit', description: 'most money a group may move on a line: an amount, a share, or both' });
export type Limit = z.infer<typeof limitSchema>;

/**
 * What a working group may decide alone, given by the full coalition. A budget change routes to the
 * group only when every line it touches is listed here and, per line, the decision stays within every
 * limit that is set (a limit left null does not apply): the per-decision limit for what this decision
 * moves, and the cumulative limit for what the group's decisions have moved on the line over the
 * budget's fiscal period, this one included — so a large change cannot be split into small ones.
 */
export const mandateSchema = z
  .object({
    summary: textSchema,
    budgetLines: z
      .array(lineRefSchema)
      .max(LIST_LIMITS.changes)
      .describe('lines the group may change by its own decision'),
    perDecisionLimit: limitSchema.describe('most one decision may move on a line'),
    cumulativeLimit: limitSchema
      .nullable()
      .default(null)
      .describe("most the group's decisions may move on a line over the budget's fiscal period; null: none"),
  })
  .meta({ id: 'Mandate', description: 'what a working group may decide alone' });
export type Mandate = z.infer<typeof mandateSchema>;

/**
 * Which part of `limit` moving `moved` minor units on a line of `allocated` (in `currency`) would pass,
 * or null within it. Exact: big integers throughout.
 */
export function limitPassed(
  limit: Limit,
  moved: bigint,
  allocated: number,
  currency: string,
): 'currency' | 'amount' | 'share' | null {
  const { maxAmount, maxShareBasisPoints } = limit;
  if (maxAmount && maxAmount.currency !== currency) return 'currency';
  if (maxAmount && moved > BigInt(maxAmount.amount)) return 'amount';
  if (maxShareBasisPoints !== null && moved * 10_000n > BigInt(maxShareBasisPoints) * BigInt(allocated)) {
    return 'share';
  }
  return null;
}
