import { error } from '@sveltejs/kit';
import { read, readOptional } from '$lib/server/api';
import { may } from '$lib/server/may';
import { answerQuestion, raiseQuestion } from '$lib/server/questions';
import type { Actions, PageServerLoad } from './$types';

/**
 * One line: its figures, every change with the proposal that decided it, who decided and which
 * stances were taken, and the questions on it with their answers.
 */
export const load: PageServerLoad = async ({ fetch, params, locals }) => {
  const [budget, history, questions] = await Promise.all([
    read(fetch, 'budget', { budgetId: params.budgetId }),
    read(fetch, 'lineHistory', params, { limit: 1000 }),
    read(fetch, 'questions', { budgetId: params.budgetId }, { lineId: params.lineId }),
  ]);
  const line = budget.lines.find((candidate) => candidate.lineId === params.lineId);
  if (!line) error(404, 'not_found');
  const proposalIds = [...new Set(history.changes.map((change) => change.proposalId))].slice(-40);
  const [proposals, steward] = await Promise.all([
    Promise.all(proposalIds.map((proposalId) => readOptional(fetch, 'proposal', { proposalId }))),
    line.stewardGroupId ? readOptional(fetch, 'workingGroup', { groupId: line.stewardGroupId }) : null,
  ]);
  const organizationId = locals.person?.organizationId ?? null;
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
    canAsk: may(locals.person, 'RaiseBudgetQuestion'),
    // The stewarding group answers (any member when the coalition stewards the line).
    canAnswer:
      may(locals.person, 'AnswerBudgetQuestion') &&
      organizationId !== null &&
      (line.stewardGroupId === null ||
        !!steward?.members.some((member) => member.organizationId === organizationId)),
  };
};

export const actions: Actions = { ask: raiseQuestion, answer: answerQuestion };
