import { col, type RowOf, type TablesOf, table } from '../../schema/columns.ts';

/** Questions members raise on budget lines, and the stewarding group's answers. */
export const budgetQuestions = table({
  name: 'budget_questions',
  columns: {
    budget_id: col.id(),
    question_id: col.id(),
    line_id: col.id(),
    text: col.text(),
    asked_by_organization_id: col.id(),
    asked_by_person_id: col.id(),
    asked_at: col.time(),
    status: col.text<'open' | 'answered'>(),
    answer: col.text().orNull(),
    answered_by_organization_id: col.id().orNull(),
    answered_by_person_id: col.id().orNull(),
    answered_at: col.time().orNull(),
    asked_position: col.bigint(),
  },
  primaryKey: ['budget_id', 'question_id'],
  indexes: [{ name: 'budget_questions_line', columns: ['budget_id', 'line_id'] }],
});

export type BudgetQuestionRow = RowOf<typeof budgetQuestions>;

/** This read model's tables as Kysely sees them. */
export type QuestionTables = TablesOf<typeof budgetQuestions>;
