import { loadBudgetPage } from '$lib/server/budget';
import { may } from '$lib/server/may';
import { raiseQuestion } from '$lib/server/questions';
import type { Actions, PageServerLoad } from './$types';

/** The current budget (the one whose fiscal period contains today), served at /budget without a redirect. */
export const load: PageServerLoad = async ({ fetch, locals }) => ({
  ...(await loadBudgetPage(fetch, null)),
  canAsk: may(locals.person, 'RaiseBudgetQuestion'),
});

export const actions: Actions = { ask: raiseQuestion };
