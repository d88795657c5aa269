import { loadBudgetPage } from '$lib/server/budget';
import { waitingExpenses } from '$lib/server/expenses';
import { followActions, loadFollows } from '$lib/server/follow';
import { may } from '$lib/server/may';
import { raiseQuestion } from '$lib/server/questions';
import type { Actions, PageServerLoad } from './$types';

/** The current budget (the one whose fiscal period contains today), served at /budget without a redirect. */
export const load: PageServerLoad = async ({ fetch, locals }) => {
  const [page, follows, waiting] = await Promise.all([
    loadBudgetPage(fetch, null),
    loadFollows(fetch),
    waitingExpenses(fetch, locals.person),
  ]);
  return {
    ...page,
    follows,
    canAsk: may(locals.person, 'RaiseBudgetQuestion'),
    waitingExpenses: may(locals.person, 'ApproveExpense') ? waiting.length : null,
  };
};

export const actions: Actions = { ask: raiseQuestion, ...followActions };
