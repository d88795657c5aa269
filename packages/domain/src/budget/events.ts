import { z } from 'zod';
import { executionSchema } from '../shared/execution.ts';
import { eventSchema } from '../shared/messages.ts';
import { idSchema, LIST_LIMITS, textSchema } from '../shared/primitives.ts';
import {
  allocateSchema,
  budgetOpeningSchema,
  commitGrantSchema,
  createLineSchema,
  disburseGrantSchema,
  reassignLineSchema,
  spendSchema,
} from './changes.ts';

const executed = { budgetId: idSchema, execution: executionSchema };

/** The line events of a decision a working group took: its moves count toward its cumulative limit. */
const decided = {
  ...executed,
  decidedByGroupId: idSchema
    .nullable()
    .default(null)
    .describe('the working group that decided the change; null: the full coalition'),
};

export const budgetOpenedSchema = eventSchema(
  'BudgetOpened',
  'An adopted opening-budget proposal opened a budget with its fiscal period and currency.',
  { ...budgetOpeningSchema.shape, ...executed },
);

export const budgetLineCreatedSchema = eventSchema(
  'BudgetLineCreated',
  'An adopted proposal created a budget line with its first allocation.',
  { ...createLineSchema.omit({ op: true }).shape, ...decided },
);

export const budgetLineAllocationChangedSchema = eventSchema(
  'BudgetLineAllocationChanged',
  "An adopted proposal raised or lowered a line's allocation by `delta`.",
  { ...allocateSchema.omit({ op: true }).shape, ...decided },
);

export const budgetLineSpentSchema = eventSchema(
  'BudgetLineSpent',
  'An adopted proposal recorded an expense paid from the uncommitted part of a line.',
  { ...spendSchema.omit({ op: true }).shape, ...decided },
);

export const grantFundsCommittedSchema = eventSchema(
  'GrantFundsCommitted',
  'An adopted grant award committed money on a grants line.',
  { ...commitGrantSchema.omit({ op: true }).shape, ...decided },
);

export const grantFundsDisbursedSchema = eventSchema(
  'GrantFundsDisbursed',
  'An adopted proposal paid out money committed to a grant (committed becomes spent).',
  { ...disburseGrantSchema.omit({ op: true }).shape, ...decided },
);

export const budgetLineStewardshipChangedSchema = eventSchema(
  'BudgetLineStewardshipChanged',
  "An adopted proposal of the full coalition changed a line's stewarding group and partner organizations.",
  {
    ...reassignLineSchema.omit({ op: true }).shape,
    partnerOrganizationIds: z
      .array(idSchema)
      .max(LIST_LIMITS.organizations)
      .describe('the partner organizations of the line from now on'),
    ...decided,
  },
);

export const budgetQuestionRaisedSchema = eventSchema(
  'BudgetQuestionRaised',
  'A member asked a question about a budget line.',
  {
    budgetId: idSchema,
    questionId: idSchema,
    lineId: idSchema,
    text: textSchema,
    organizationId: idSchema,
    personId: idSchema,
  },
);

export const budgetQuestionAnsweredSchema = eventSchema(
  'BudgetQuestionAnswered',
  "The line's stewarding group answered a budget question.",
  {
    budgetId: idSchema,
    questionId: idSchema,
    answer: textSchema,
    organizationId: idSchema,
    personId: idSchema,
  },
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
