import { z } from 'zod';
import { iso } from '../primitives.ts';

/** A question raised on a budget line, and its answer once the stewarding group gave one. */
export const questionViewSchema = z
  .object({
    budgetId: z.string(),
    questionId: z.string(),
    lineId: z.string(),
    text: z.string(),
    askedBy: z.object({ organizationId: z.string(), personId: z.string() }),
    askedAt: iso,
    status: z.enum(['open', 'answered']),
    answer: z
      .object({ text: z.string(), organizationId: z.string(), personId: z.string(), at: iso })
      .nullable(),
    position: z.int(),
  })
  .meta({ id: 'BudgetQuestion' });
export type BudgetQuestionView = z.infer<typeof questionViewSchema>;
