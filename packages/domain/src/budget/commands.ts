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
import { stewardContextSchema, workingGroupFactsSchema } from '../working-group/facts.ts';
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

/** A question about a budget line, as its commands and events name it. */
export const budgetQuestionRefFields = { budgetId: idSchema, questionId: idSchema };

/** Any representative asks a question about a line; it stays open and visible until answered. */
export const raiseBudgetQuestionSchema = commandSchema(
  'RaiseBudgetQuestion',
  'Ask a question about a budget line',
  {
    ...budgetQuestionRefFields,
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
    ...budgetQuestionRefFields,
    answer: textSchema,
    context: stewardContextSchema,
  },
);

/** An expense of a budget, as its commands and events name it. */
export const expenseRefFields = { budgetId: idSchema, expenseId: idSchema };

/**
 * A representative submits an expense paid from a line, with its receipts. The line's stewarding group
 * approves it as its mandate's expense policy says; a line without one, or an expense above the policy's
 * last tier, needs a budget-change proposal instead.
 */
export const submitExpenseSchema = commandSchema('SubmitExpense', 'Submit an expense against a budget line', {
  ...expenseRefFields,
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
  context: stewardContextSchema,
});

/** A representative of the stewarding group approves an expense for their organization. */
export const approveExpenseSchema = commandSchema('ApproveExpense', 'Approve an expense', {
  ...expenseRefFields,
  context: stewardContextSchema,
});

/** A representative of the stewarding group rejects an expense, saying why. */
export const rejectExpenseSchema = commandSchema('RejectExpense', 'Reject an expense', {
  ...expenseRefFields,
  reason: textSchema,
  context: stewardContextSchema,
});

/** The submitting organization withdraws its expense before it is approved. */
export const withdrawExpenseSchema = commandSchema('WithdrawExpense', 'Withdraw an expense', {
  ...expenseRefFields,
  reason: optionalReasonSchema,
});

/** A representative of the stewarding group records that an approved expense was paid. */
export const markExpensePaidSchema = commandSchema('MarkExpensePaid', 'Record that an expense was paid', {
  ...expenseRefFields,
  reference: nameSchema.describe('the payment reference (a transfer number, a cheque number)'),
  context: stewardContextSchema,
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
