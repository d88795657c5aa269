import { sql } from 'kysely';
import type { QueryContext } from '../query-context.ts';
import type { BudgetQuestionView } from './schema.ts';
import type { BudgetQuestionRow } from './table.ts';
import { budgetQuestions } from './table.ts';

/** The questions read model's part of `ReadModels`. */
export interface QuestionQueries {
  questions(filter?: {
    budgetId?: string;
    lineId?: string;
    status?: 'open' | 'answered';
  }): Promise<BudgetQuestionView[]>;
}

/** Questions raised on budget lines, oldest first. */
export function questionQueries({ q, all }: QueryContext): QuestionQueries {
  return {
    async questions(filter = {}) {
      let query = q.selectFrom('budget_questions').selectAll();
      if (filter.budgetId) query = query.where('budget_id', '=', filter.budgetId);
      if (filter.lineId) query = query.where('line_id', '=', filter.lineId);
      if (filter.status) query = query.where('status', '=', filter.status);
      return (await all<BudgetQuestionRow>(budgetQuestions, query.orderBy('asked_position'))).map(
        toQuestionView,
      );
    },
  };
}

/** How many questions are open per line (`budgetId/lineId`), of one budget or all: the budget shows them. */
export async function openQuestionCounts(
  { q }: QueryContext,
  budgetId?: string,
): Promise<Map<string, number>> {
  let query = q
    .selectFrom('budget_questions')
    .select(['budget_id', 'line_id', sql<string>`count(*)`.as('open')])
    .where('status', '=', 'open')
    .groupBy(['budget_id', 'line_id']);
  if (budgetId) query = query.where('budget_id', '=', budgetId);
  const found = await query.execute();
  return new Map(found.map((row) => [`${row.budget_id}/${row.line_id}`, Number(row.open)]));
}

export function toQuestionView(row: BudgetQuestionRow): BudgetQuestionView {
  return {
    budgetId: row.budget_id,
    questionId: row.question_id,
    lineId: row.line_id,
    text: row.text,
    askedBy: { organizationId: row.asked_by_organization_id, personId: row.asked_by_person_id },
    askedAt: row.asked_at,
    status: row.status,
    answer:
      row.status === 'answered' && row.answer !== null
        ? {
            text: row.answer,
            organizationId: row.answered_by_organization_id!,
            personId: row.answered_by_person_id!,
            at: row.answered_at!,
          }
        : null,
    position: row.asked_position,
  };
}
