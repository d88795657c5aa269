import { error } from '@sveltejs/kit';
import { loadBudgetPage } from '$lib/server/budget';
import { waitingExpenses } from '$lib/server/expenses';
import { followActions, loadFollows } from '$lib/server/follow';
import { may } from '$lib/server/may';
import { raiseQuestion } from '$lib/server/questions';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, params, locals }) => {
  const [page, follows, waiting] = await Promise.all([
    loadBudgetPage(fetch, params.budgetId),
    loadFollows(fetch),
    waitingExpenses(fetch, locals.person),
  ]);
  if (!page.budget) error(404, 'not_found');
  return {
    ...page,
    follows,
    canAsk: may(locals.person, 'RaiseBudgetQuestion'),
    waitingExpenses: may(locals.person, 'ApproveExpense') ? waiting.length : null,
  };
};

export const actions: Actions = { ask: raiseQuestion, ...followActions };
