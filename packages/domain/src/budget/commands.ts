import { z } from 'zod';
import { decidingBodySchema } from '../proposal/routing.ts';
import { attachmentRefSchema, MAX_ATTACHMENTS } from '../shared/attachment.ts';
import { executionSchema } from '../shared/execution.ts';
import { commandSchema } from '../shared/messages.ts';
import {
  dateSchema,
  idSchema,
  LIST_LIMITS,
  nameSchema,
  optionalReasonSchema,
  positiveAmountSchema,
  textSchema,
} from '../shared/primitives.ts';
import { workingGroupFactsSchema } from '../working-group/facts.ts';
import { budgetChangeSchema, budgetOpeningSchema } from './changes.ts';
import { disbursedGrantSchema } from './line.ts';

/**
 * System only: executes an adopted budget-change or grant-award proposal. The only way a line's
 * allocated, committed or spent amount ever changes.
 */
export const executeBudgetChangeSchema = commandSchema(
  'ExecuteBudgetChange',
  'Apply the budget changes of an adopted proposal',
  {
    budgetId: idSchema,
    opening: budgetOpeningSchema.nullable().describe('present only for an opening budget'),
    changes: z.array(budgetChangeSchema).max(LIST_LIMITS.changes),
    execution: executionSchema,
    decidedBy: decidingBodySchema
      .default({ type: 'coalition' })
      .describe('who adopted the decision: a working group must still hold the mandate for it'),
    context: z
      .object({ decidingGroup: workingGroupFactsSchema.nullable() })
      .default({ decidingGroup: null })
      .describe('`workingGroupFacts` of the deciding working group now (null when the coalition decided)'),
  },
);

/** Any representative asks a question about a line; it stays open and visible until answered. */
export const raiseBudgetQuestionSchema = commandSchema(
  'RaiseBudgetQuestion',
  'Ask a question about a budget line',
  {
    budgetId: idSchema,
    questionId: idSchema,
    lineId: idSchema,
    text: textSchema,
  },
);

/**
 * A representative of the line's stewarding group answers a question.
 * Context: `stewardGroup` = `workingGroupFacts` of the line's stewarding group (null when the line is
 * stewarded by the full coalition, in which case any representative may answer).
 */
export const answerBudgetQuestionSchema = commandSchema(
  'AnswerBudgetQuestion',
  'Answer a question about a budget line',
  {
    budgetId: idSchema,
    questionId: idSchema,
    answer: textSchema,
    context: z.object({ stewardGroup: workingGroupFactsSchema.nullable() }),
  },
);

/** `workingGroupFacts` of the line's stewarding group now (null when the full coalition stewards it). */
const stewardContext = z.object({ stewardGroup: workingGroupFactsSchema.nullable() });

/**
 * A representative submits an expense paid from a line, with its receipts. The line's stewarding group
 * approves it as its mandate's expense policy says; a line without one, or an expense above the policy's
 * last tier, needs a budget-change proposal instead.
 */
export const submitExpenseSchema = commandSchema('SubmitExpense', 'Submit an expense against a budget line', {
  budgetId: idSchema,
  expenseId: idSchema,
  lineId: idSchema,
  amount: positiveAmountSchema,
  description: textSchema,
  payeeOrganizationId: idSchema
    .nullable()
    .describe(
      'a member organization paid by this expense, if any (for a disbursement: the grantee, or null)',
    ),
  payeeName: nameSchema
    .nullable()
    .describe('the business or organization paid, if not a member; never a person (a receipt names them)'),
  spentOn: dateSchema.describe('when the money was spent or is due'),
  receipts: z.array(attachmentRefSchema).max(MAX_ATTACHMENTS),
  grant: disbursedGrantSchema,
  context: stewardContext,
});

/** A representative of the stewarding group approves an expense for their organization. */
export const approveExpenseSchema = commandSchema('ApproveExpense', 'Approve an expense', {
  budgetId: idSchema,
  expenseId: idSchema,
  context: stewardContext,
});

/** A representative of the stewarding group rejects an expense, saying why. */
export const rejectExpenseSchema = commandSchema('RejectExpense', 'Reject an expense', {
  budgetId: idSchema,
  expenseId: idSchema,
  reason: textSchema,
  context: stewardContext,
});

/** The submitting organization withdraws its expense before it is approved. */
export const withdrawExpenseSchema = commandSchema('WithdrawExpense', 'Withdraw an expense', {
  budgetId: idSchema,
  expenseId: idSchema,
  reason: optionalReasonSchema,
});

/** A representative of the stewarding group records that an approved expense was paid. */
export const markExpensePaidSchema = commandSchema('MarkExpensePaid', 'Record that an expense was paid', {
  budgetId: idSchema,
  expenseId: idSchema,
  reference: nameSchema.describe('the payment reference (a transfer number, a cheque number)'),
  context: stewardContext,
});

/** Every command of the budget aggregate. */
export const budgetCommandSchema = z.discriminatedUnion('type', [
  executeBudgetChangeSchema,
  raiseBudgetQuestionSchema,
  answerBudgetQuestionSchema,
  submitExpenseSchema,
  approveExpenseSchema,
  rejectExpenseSchema,
  withdrawExpenseSchema,
  markExpensePaidSchema,
]);
export type BudgetCommand = z.infer<typeof budgetCommandSchema>;
