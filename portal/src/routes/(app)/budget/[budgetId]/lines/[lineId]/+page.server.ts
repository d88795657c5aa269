import { error } from '@sveltejs/kit';
import { read, readOptional } from '$lib/server/api';
import { actsOn } from '$lib/server/expense-acts';
import { expenseRule } from '$lib/server/expense-rule';
import { expenseActions, groupMembers } from '$lib/server/expenses';
import { followActions, loadFollows } from '$lib/server/follow';
import { may } from '$lib/server/may';
import { answerQuestion, raiseQuestion } from '$lib/server/questions';
import type { Actions, PageServerLoad } from './$types';

/**
 * One line: its figures, every change with the proposal that decided it, who decided and which
 * stances were taken, the questions on it with their answers, and its expenses (with the form to submit
 * one where the stewarding group approves them, and why not elsewhere).
 */
export const load: PageServerLoad = async ({ fetch, params, locals }) => {
  const [budget, history, questions, expenses, follows] = await Promise.all([
    read(fetch, 'budget', { budgetId: params.budgetId }),
    read(fetch, 'lineHistory', params, { limit: 1000 }),
    read(fetch, 'questions', { budgetId: params.budgetId }, { lineId: params.lineId }),
    read(fetch, 'expenses', { budgetId: params.budgetId }, { lineId: params.lineId }),
    loadFollows(fetch),
  ]);
  const line = budget.lines.find((candidate) => candidate.lineId === params.lineId);
  if (!line) error(404, 'not_found');
  const proposalIds = [
    ...new Set(history.changes.flatMap((change) => (change.proposalId ? [change.proposalId] : []))),
  ].slice(-40);
  const [proposals, steward, approvers] = await Promise.all([
    Promise.all(proposalIds.map((proposalId) => readOptional(fetch, 'proposal', { proposalId }))),
    line.stewardGroupId ? readOptional(fetch, 'workingGroup', { groupId: line.stewardGroupId }) : null,
    groupMembers(
      fetch,
      expenses.expenses.map((expense) => expense.approverGroupId),
    ),
  ]);
  const organizationId = locals.person?.organizationId ?? null;
  const rule = expenseRule(line, steward, budget.currency);
  return {
    budget: { budgetId: budget.budgetId, name: budget.name, currency: budget.currency },
    line,
    changes: [...history.changes].reverse(),
    decisions: Object.fromEntries(
      proposals
        .filter((proposal) => proposal !== null)
        .map((proposal) => [
          proposal.proposalId,
          {
            title: proposal.title,
            decidingBody: proposal.decidingBody,
            outcome: proposal.outcome,
            stances: proposal.stances.map((stance) => ({
              organizationId: stance.organizationId,
              organizationName: stance.organizationName,
              stance: stance.stance,
              reason: stance.reason,
            })),
          },
        ]),
    ),
    questions: questions.questions,
    // Newest first, as the history.
    expenses: [...expenses.expenses].reverse().map((expense) => ({
      expense,
      acts: actsOn(expense, locals.person, approvers[expense.approverGroupId] ?? []),
    })),
    expenseRule: rule,
    canSubmitExpense: rule.open && may(locals.person, 'SubmitExpense'),
    follows,
    canAsk: may(locals.person, 'RaiseBudgetQuestion'),
    // The stewarding group answers (any member when the coalition stewards the line).
    canAnswer:
      may(locals.person, 'AnswerBudgetQuestion') &&
      organizationId !== null &&
      (line.stewardGroupId === null ||
        !!steward?.members.some((member) => member.organizationId === organizationId)),
  };
};

export const actions: Actions = {
  ask: raiseQuestion,
  answer: answerQuestion,
  ...expenseActions,
  ...followActions,
};
