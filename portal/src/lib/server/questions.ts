// Budget questions: any member asks about a line; the stewarding group answers.
import type { RequestEvent } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { send } from './api';
import { accepted, invalid, Posted, refused } from './forms';

export async function raiseQuestion({ request, fetch }: Pick<RequestEvent, 'request' | 'fetch'>) {
  const posted = await Posted.of(request);
  const budgetId = posted.text('budgetId');
  const lineId = posted.text('lineId');
  const text = posted.text('text');
  const fields: Record<string, string> = {};
  if (!lineId) fields.lineId = m.field_required();
  if (!text) fields.text = m.field_required();
  if (!budgetId || Object.keys(fields).length) return invalid('ask', fields, posted);
  const result = await send(fetch, 'raiseBudgetQuestion', {
    params: { budgetId },
    body: { lineId, text },
    key: posted.key(),
  });
  if (!result.ok) return refused('ask', result.problem, posted, { BUDGET_LINE_NOT_FOUND: 'lineId' });
  return accepted('ask', m.question_recorded());
}

export async function answerQuestion({ request, fetch }: Pick<RequestEvent, 'request' | 'fetch'>) {
  const posted = await Posted.of(request);
  const budgetId = posted.text('budgetId');
  const questionId = posted.text('questionId');
  const answer = posted.text('answer');
  if (!answer) return invalid(`answer-${questionId}`, { answer: m.field_required() }, posted);
  const result = await send(fetch, 'answerBudgetQuestion', {
    params: { budgetId, questionId },
    body: { answer },
    key: posted.key(),
  });
  if (!result.ok) return refused(`answer-${questionId}`, result.problem, posted, { NOT_A_STEWARD: 'answer' });
  return accepted(`answer-${questionId}`, m.answer_recorded());
}
