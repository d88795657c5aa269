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

/**
 * What a working group may decide alone, given by the full coalition. A budget change routes to the
 * group only when every line it touches is listed here and, per line, the decision stays within every
 * limit that is set (a limit left null does not apply).
 */
export const mandateSchema = z
  .object({
    summary: textSchema,
    budgetLines: z
      .array(lineRefSchema)
      .max(LIST_LIMITS.changes)
      .describe('lines the group may change by its own decision'),
    perDecisionLimit: z.object({
      maxAmount: z
        .object({ amount: positiveAmountSchema, currency: currencySchema })
        .nullable()
        .describe('most money one decision may move on a line, e.g. USD 10,000 as 1000000 cents'),
      maxShareBasisPoints: z
        .int()
        .min(1)
        .max(10_000)
        .nullable()
        .describe("most one decision may move on a line as a share of the line's allocation, 500 = 5%"),
    }),
  })
  .meta({ id: 'Mandate', description: 'what a working group may decide alone' });
export type Mandate = z.infer<typeof mandateSchema>;
