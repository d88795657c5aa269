import { z } from 'zod';
import { attachmentRefSchema, MAX_ATTACHMENTS } from '../shared/attachment.ts';
import { executionSchema } from '../shared/execution.ts';
import { eventSchema, fieldsOf } from '../shared/messages.ts';
import {
  dateSchema,
  idSchema,
  LIST_LIMITS,
  nameSchema,
  positiveAmountSchema,
  textSchema,
} from '../shared/primitives.ts';
import {
  allocateSchema,
  budgetOpeningSchema,
  commitGrantSchema,
  createLineSchema,
  disburseGrantSchema,
  reassignLineSchema,
  spendSchema,
} from './changes.ts';
import { budgetQuestionRefFields, expenseRefFields, raiseBudgetQuestionSchema } from './commands.ts';
import { disbursedGrantSchema } from './line.ts';

const executed = { budgetId: idSchema, execution: executionSchema };

/** The line events of a decision a working group took: its moves count toward its cumulative limit. */
const decided = {
  ...executed,
  decidedByGroupId: idSchema
    .nullable()
    .default(null)
    .describe('the working group that decided the change; null: the full coalition'),
};

/**
 * What a line event records: the change an adopted decision made, less its `op` (the event's type says
 * it), then the decision.
 */
function lineEventFields<Shape extends z.ZodRawShape & { op: z.ZodType }>(change: z.ZodObject<Shape>) {
  const { op: _op, ...fields } = change.shape;
  return { ...fields, ...decided };
}

export const budgetOpenedSchema = eventSchema(
  'BudgetOpened',
  'An adopted opening-budget proposal opened a budget with its fiscal period and currency.',
  { ...budgetOpeningSchema.shape, ...executed },
);

export const budgetLineCreatedSchema = eventSchema(
  'BudgetLineCreated',
  'An adopted proposal created a budget line with its first allocation.',
  lineEventFields(createLineSchema),
);

export const budgetLineAllocationChangedSchema = eventSchema(
  'BudgetLineAllocationChanged',
  "An adopted proposal raised or lowered a line's allocation by `delta`.",
  lineEventFields(allocateSchema),
);

export const budgetLineSpentSchema = eventSchema(
  'BudgetLineSpent',
  'An adopted proposal recorded an expense paid from the uncommitted part of a line.',
  lineEventFields(spendSchema),
);

export const grantFundsCommittedSchema = eventSchema(
  'GrantFundsCommitted',
  'An adopted grant award committed money on a grants line.',
  lineEventFields(commitGrantSchema),
);

export const grantFundsDisbursedSchema = eventSchema(
  'GrantFundsDisbursed',
  'An adopted proposal paid out money committed to a grant (committed becomes spent).',
  lineEventFields(disburseGrantSchema),
);

export const budgetLineStewardshipChangedSchema = eventSchema(
  'BudgetLineStewardshipChanged',
  "An adopted proposal of the full coalition changed a line's stewarding group and partner organizations.",
  {
    ...lineEventFields(reassignLineSchema),
    // Where the change said null (keep the partners), the event records the partners the line keeps.
    partnerOrganizationIds: z
      .array(idSchema)
      .max(LIST_LIMITS.organizations)
      .describe('the partner organizations of the line from now on'),
  },
);

/** Who asked, answered or acted: the organization and its representative (an id, never a name). */
const representedBy = { organizationId: idSchema, personId: idSchema };

export const budgetQuestionRaisedSchema = eventSchema(
  'BudgetQuestionRaised',
  'A member asked a question about a budget line.',
  { ...fieldsOf(raiseBudgetQuestionSchema), ...representedBy },
);

export const budgetQuestionAnsweredSchema = eventSchema(
  'BudgetQuestionAnswered',
  "The line's stewarding group answered a budget question.",
  { ...budgetQuestionRefFields, answer: textSchema, ...representedBy },
);

/** Who acted on an expense. */
const actedBy = { ...expenseRefFields, ...representedBy };

export const expenseSubmittedSchema = eventSchema(
  'ExpenseSubmitted',
  "A member submitted an expense against a line, to be approved by the line's stewarding group.",
  {
    ...actedBy,
    lineId: idSchema,
    amount: positiveAmountSchema,
    description: textSchema,
    payeeOrganizationId: idSchema.nullable(),
    payeeName: nameSchema.nullable(),
    spentOn: dateSchema,
    receipts: z.array(attachmentRefSchema).max(MAX_ATTACHMENTS),
    grant: disbursedGrantSchema,
    approverGroupId: idSchema.describe('the stewarding group that approves it'),
    approvalsNeeded: z
      .int()
      .min(1)
      .describe("approvals from different organizations, by the group's policy then"),
  },
);

export const expenseApprovedSchema = eventSchema(
  'ExpenseApproved',
  'A member organization of the stewarding group approved an expense.',
  actedBy,
);

export const expenseSpentSchema = eventSchema(
  'ExpenseSpent',
  "An expense had all the approvals it needed: its amount is spent from the line's uncommitted money, or, for a grant disbursement, from the money committed to the grant.",
  { ...expenseRefFields, lineId: idSchema, amount: positiveAmountSchema, grant: disbursedGrantSchema },
);

export const expenseRejectedSchema = eventSchema(
  'ExpenseRejected',
  'A member organization of the stewarding group rejected an expense, saying why.',
  { ...actedBy, reason: textSchema },
);

export const expenseWithdrawnSchema = eventSchema(
  'ExpenseWithdrawn',
  'The submitting organization withdrew its expense before it was approved.',
  { ...actedBy, reason: textSchema.nullable() },
);

export const expensePaidSchema = eventSchema(
  'ExpensePaid',
  'The stewarding group recorded that an approved expense was paid: its amount, on its line.',
  { ...actedBy, reference: nameSchema, lineId: idSchema, amount: positiveAmountSchema },
);

/** Every event of the budget aggregate (stream `budget-<budgetId>`). */
export const budgetEventSchema = z.discriminatedUnion('type', [
  budgetOpenedSchema,
  budgetLineCreatedSchema,
  budgetLineAllocationChangedSchema,
  budgetLineSpentSchema,
  grantFundsCommittedSchema,
  grantFundsDisbursedSchema,
  budgetLineStewardshipChangedSchema,
  budgetQuestionRaisedSchema,
  budgetQuestionAnsweredSchema,
  expenseSubmittedSchema,
  expenseApprovedSchema,
  expenseSpentSchema,
  expenseRejectedSchema,
  expenseWithdrawnSchema,
  expensePaidSchema,
]);
export type BudgetEvent = z.infer<typeof budgetEventSchema>;

/** The events that move a line's amounts, each the record of one executed change. */
export type BudgetLineEvent = Extract<
  BudgetEvent,
  {
    type:
      | 'BudgetLineCreated'
      | 'BudgetLineAllocationChanged'
      | 'BudgetLineSpent'
      | 'GrantFundsCommitted'
      | 'GrantFundsDisbursed'
      | 'BudgetLineStewardshipChanged';
  }
>;
