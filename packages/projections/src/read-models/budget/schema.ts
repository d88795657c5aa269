import { z } from 'zod';
import { decidingBodySchema, iso, money, totals } from '../primitives.ts';

/** A budget as listed: its totals summed over its lines, and how many questions are open on them. */
export const budgetSummarySchema = z
  .object({
    budgetId: z.string(),
    name: z.string(),
    currency: z.string(),
    fiscalPeriod: z.object({ start: z.string(), end: z.string() }),
    openedByProposalId: z.string(),
    openedAt: iso,
    updatedAt: iso,
    totals: z.object(totals),
    lineCount: z.int(),
    openQuestions: z.int(),
  })
  .meta({ id: 'BudgetSummary' });
export type BudgetSummary = z.infer<typeof budgetSummarySchema>;

/** A line of a budget: its totals, its steward (null: the full coalition) and its partners. */
export const budgetLineViewSchema = z
  .object({
    ...totals,
    budgetId: z.string(),
    lineId: z.string(),
    name: z.string(),
    category: z.string(),
    stewardGroupId: z.string().nullable(),
    partnerOrganizationIds: z.array(z.string()),
    currency: z.string(),
    changes: z.int(),
    createdByProposalId: z.string(),
    createdAt: iso,
    updatedAt: iso,
    openQuestions: z.int(),
  })
  .meta({ id: 'BudgetLine' });
export type BudgetLineView = z.infer<typeof budgetLineViewSchema>;

/** A budget and every line of it. */
export const budgetDetailSchema = budgetSummarySchema
  .extend({ lines: z.array(budgetLineViewSchema) })
  .meta({ id: 'BudgetDetail' });
export type BudgetDetail = z.infer<typeof budgetDetailSchema>;

/** One change of a line: what moved, the totals after it, and the adopted proposal behind it. */
export const lineChangeSchema = z
  .object({
    position: z.int(),
    budgetId: z.string(),
    lineId: z.string(),
    change: z.string(),
    amount: money.describe('the amount moved; for an allocation change, the signed delta'),
    currency: z.string().nullable(),
    after: z.object(totals),
    description: z.string().nullable(),
    proposalId: z.string().nullable().describe('the adopted proposal behind it; null: an approved expense'),
    proposalTitle: z.string().nullable(),
    decidedBy: decidingBodySchema.nullable(),
    grantCallId: z.string().nullable(),
    applicationId: z.string().nullable(),
    organizationId: z.string().nullable(),
    expenseId: z.string().nullable().describe('the approved expense behind it, if any'),
    at: iso,
  })
  .meta({ id: 'LineChange' });

/** The kinds of change the line history records (the schema says only "a string"). */
export type LineChangeKind =
  | 'created'
  | 'allocationChanged'
  | 'spent'
  | 'grantCommitted'
  | 'grantDisbursed'
  | 'stewardshipChanged'
  | 'expenseSpent'
  | 'expensePaid';

/** A change of a line as the read model answers it: the schema's shape, with the kind of change named. */
export interface LineChange extends z.infer<typeof lineChangeSchema> {
  change: LineChangeKind;
}
