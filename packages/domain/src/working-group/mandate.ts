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
 * How a working group approves expenses on the lines it stewards: each tier says how many approvals, each
 * from a different member organization of the group, an expense up to its amount needs. An expense above
 * the last tier is a budget-change proposal like any other.
 */
export const expensePolicySchema = z
  .object({
    currency: currencySchema,
    tiers: z
      .array(
        z.object({
          upTo: positiveAmountSchema.describe('expenses up to this amount (minor units)'),
          approvals: z
            .int()
            .min(1)
            .max(12)
            .describe('approvals they need, each from a different member organization of the group'),
        }),
      )
      .min(1)
      .max(6)
      .refine(
        (tiers) => tiers.every((tier, index) => index === 0 || tier.upTo > (tiers[index - 1]?.upTo ?? 0)),
        'each tier must cover larger expenses than the one before',
      ),
  })
  .meta({ id: 'ExpensePolicy', description: 'how many approvals an expense needs, by amount' });
export type ExpensePolicy = z.infer<typeof expensePolicySchema>;

/** The approvals an expense of `amount` (in `currency`) needs under `policy`, or null: it is a proposal. */
export function approvalsNeeded(
  policy: ExpensePolicy | null,
  amount: number,
  currency: string,
): number | null {
  if (!policy || policy.currency !== currency) return null;
  return policy.tiers.find((tier) => amount <= tier.upTo)?.approvals ?? null;
}

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
    expenses: expensePolicySchema
      .nullable()
      .default(null)
      .describe('how the group approves expenses on its lines; null: every expense is a proposal'),
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
