import { iso, type View } from '../view.ts';
import { type BudgetQuestionRow, budgetQuestions } from './table.ts';

/** Budget questions: raised by any member on a line, open and visible until the stewarding group answers. */
export const questionsView: View = {
  name: 'questions',
  types: ['BudgetQuestionRaised', 'BudgetQuestionAnswered'],
  needs({ event }, uow) {
    if (event.type === 'BudgetQuestionAnswered')
      uow.want(budgetQuestions, event.data.budgetId, event.data.questionId);
  },
  apply({ event, recorded }, { uow, change }) {
    if (event.type === 'BudgetQuestionRaised') {
      const { budgetId, questionId, lineId, text, organizationId, personId, at } = event.data;
      uow.put<BudgetQuestionRow>(budgetQuestions, {
        budget_id: budgetId,
        question_id: questionId,
        line_id: lineId,
        text,
        asked_by_organization_id: organizationId,
        asked_by_person_id: personId,
        asked_at: iso(at),
        status: 'open',
        answer: null,
        answered_by_organization_id: null,
        answered_by_person_id: null,
        answered_at: null,
        asked_position: recorded.globalPosition,
      });
      change({ view: 'budgetQuestion', id: questionId, budgetId });
    } else if (event.type === 'BudgetQuestionAnswered') {
      const { budgetId, questionId, answer, organizationId, personId, at } = event.data;
      const question = uow.get<BudgetQuestionRow>(budgetQuestions, budgetId, questionId);
      if (!question) return;
      uow.put<BudgetQuestionRow>(budgetQuestions, {
        ...question,
        status: 'answered',
        answer,
        answered_by_organization_id: organizationId,
        answered_by_person_id: personId,
        answered_at: iso(at),
      });
      change({ view: 'budgetQuestion', id: questionId, budgetId });
    }
  },
};
