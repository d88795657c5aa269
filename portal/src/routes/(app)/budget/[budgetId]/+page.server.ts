import { error } from '@sveltejs/kit';
import { loadBudgetPage } from '$lib/server/budget';
import { may } from '$lib/server/may';
import { raiseQuestion } from '$lib/server/questions';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, params, locals }) => {
  const page = await loadBudgetPage(fetch, params.budgetId);
  if (!page.budget) error(404, 'not_found');
  return {
    ...page,
    canAsk: may(locals.person, 'RaiseBudgetQuestion'),
  };
};

export const actions: Actions = { ask: raiseQuestion };
