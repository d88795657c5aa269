import { z } from 'zod';
import { amountSchema, idSchema, textSchema } from '../shared/primitives.ts';

/** What a budget line pays for. Salaries and core costs are ordinary, visible lines. */
export const budgetCategorySchema = z
  .enum(['coreCosts', 'salaries', 'grants', 'translation', 'travel', 'programmes', 'other'])
  .meta({ id: 'BudgetCategory', description: 'what a budget line pays for' });
export type BudgetCategory = z.infer<typeof budgetCategorySchema>;

/**
 * A line of the budget. `allocated` is what the coalition set aside; `committed` is promised but not yet
 * paid (awarded grants); `spent` is paid. Always `committed + spent <= allocated`.
 */
export const budgetLineSchema = z.object({
  lineId: idSchema,
  name: textSchema,
  category: budgetCategorySchema,
  stewardGroupId: idSchema
    .nullable()
    .describe('the working group that stewards the line; null: the full coalition'),
  partnerOrganizationIds: z
    .array(idSchema)
    .describe('member organizations paid from this line; they are recused from decisions changing it'),
  allocated: amountSchema,
  committed: amountSchema,
  spent: amountSchema,
});
export type BudgetLine = z.infer<typeof budgetLineSchema>;

/** Money promised to one grant application on one line, and what has been paid of it. */
export const grantCommitmentSchema = z.object({
  grantCallId: idSchema,
  applicationId: idSchema,
  lineId: idSchema,
  recipientOrganizationId: idSchema,
  committed: amountSchema,
  disbursed: amountSchema,
});
export type GrantCommitment = z.infer<typeof grantCommitmentSchema>;

/**
 * The awarded grant an expense pays out: a disbursement, approved like any expense but taken from the
 * money committed to the grant rather than from the line's free money. Null: an ordinary expense.
 */
export const disbursedGrantSchema = z
  .object({ grantCallId: idSchema, applicationId: idSchema })
  .nullable()
  .default(null)
  .describe('the awarded grant this expense pays out, within its commitment; null: an ordinary expense');
export type DisbursedGrant = z.infer<typeof disbursedGrantSchema>;

/** What is still free on a line. */
export function available(line: BudgetLine): number {
  return line.allocated - line.committed - line.spent;
}
