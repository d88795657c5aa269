import { z } from 'zod';
import {
  currencySchema,
  dateSchema,
  idSchema,
  LIST_LIMITS,
  positiveAmountSchema,
  textSchema,
} from '../shared/primitives.ts';
import { budgetLineSchema } from './line.ts';

/** The frame of a new budget: its fiscal period and the one currency of all its amounts. */
export const budgetOpeningSchema = z
  .object({
    name: textSchema,
    fiscalPeriod: z
      .object({ start: dateSchema, end: dateSchema })
      .refine((period) => period.start < period.end, 'the fiscal period must end after it starts'),
    currency: currencySchema,
  })
  .meta({ id: 'BudgetOpening', description: 'a new budget: fiscal period and currency' });
export type BudgetOpening = z.infer<typeof budgetOpeningSchema>;

/** Adds a line with its first allocation. */
export const createLineSchema = budgetLineSchema
  .omit({ committed: true, spent: true })
  .extend({ op: z.literal('createLine') });

/** Raises (positive) or lowers (negative) a line's allocation. */
export const allocateSchema = z.object({
  op: z.literal('allocate'),
  lineId: idSchema,
  delta: z
    .int()
    .refine((delta) => delta !== 0, 'a change of zero changes nothing')
    .describe('minor units; negative lowers the allocation'),
});

/** Records an expense paid from the uncommitted part of a line. */
export const spendSchema = z.object({
  op: z.literal('spend'),
  lineId: idSchema,
  amount: positiveAmountSchema,
  description: textSchema,
  payeeOrganizationId: idSchema.nullable().describe('a member organization paid by this expense, if any'),
});

/** Pays out money already committed to an awarded grant. */
export const disburseGrantSchema = z.object({
  op: z.literal('disburseGrant'),
  lineId: idSchema,
  grantCallId: idSchema,
  applicationId: idSchema,
  amount: positiveAmountSchema,
});

/** Commits money to an awarded grant. Produced only by executing a grant-award proposal. */
export const commitGrantSchema = z.object({
  op: z.literal('commitGrant'),
  lineId: idSchema,
  grantCallId: idSchema,
  applicationId: idSchema,
  recipientOrganizationId: idSchema,
  amount: positiveAmountSchema,
});

/**
 * Hands a line to another stewarding working group (null: the full coalition) and, unless null, replaces
 * its partner organizations. Always decided by the full coalition.
 */
export const reassignLineSchema = z.object({
  op: z.literal('reassignLine'),
  lineId: idSchema,
  stewardGroupId: idSchema.nullable().describe('the new stewarding working group; null: the full coalition'),
  partnerOrganizationIds: z
    .array(idSchema)
    .max(LIST_LIMITS.organizations)
    .nullable()
    .describe('the new partner organizations of the line; null keeps them'),
});

/**
 * The money a change moves on its line, raising and lowering alike: what a working group's mandate
 * limits count. Creating or reassigning a line moves none.
 */
export function moneyMoved(change: BudgetChange): number {
  switch (change.op) {
    case 'allocate':
      return Math.abs(change.delta);
    case 'spend':
    case 'commitGrant':
    case 'disburseGrant':
      return change.amount;
    default:
      return 0;
  }
}

/** The changes a budget-change proposal may contain (grant commitments come only from grant awards). */
const proposableChangeSchemas = [
  createLineSchema,
  allocateSchema,
  spendSchema,
  disburseGrantSchema,
  reassignLineSchema,
] as const;

/** A change a budget-change proposal may contain. */
export const proposableBudgetChangeSchema = z
  .discriminatedUnion('op', proposableChangeSchemas)
  .meta({ id: 'ProposableBudgetChange', description: 'a change a budget-change proposal may contain' });
export type ProposableBudgetChange = z.infer<typeof proposableBudgetChangeSchema>;

/** Any change to a budget's lines: what a budget-change proposal may contain, plus grant commitments. */
export const budgetChangeSchema = z
  .discriminatedUnion('op', [...proposableChangeSchemas, commitGrantSchema])
  .meta({ id: 'BudgetChange', description: 'any change to the lines of a budget' });
export type BudgetChange = z.infer<typeof budgetChangeSchema>;
