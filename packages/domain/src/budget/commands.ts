import { z } from 'zod';
import { decidingBodySchema } from '../proposal/routing.ts';
import { executionSchema } from '../shared/execution.ts';
import { commandSchema } from '../shared/messages.ts';
import { idSchema, LIST_LIMITS, textSchema } from '../shared/primitives.ts';
import { workingGroupFactsSchema } from '../working-group/facts.ts';
import { budgetChangeSchema, budgetOpeningSchema } from './changes.ts';

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

/** Every command of the budget aggregate. */
export const budgetCommandSchema = z.discriminatedUnion('type', [
  executeBudgetChangeSchema,
  raiseBudgetQuestionSchema,
  answerBudgetQuestionSchema,
]);
export type BudgetCommand = z.infer<typeof budgetCommandSchema>;
