import { error } from '@sveltejs/kit';
import { budgetViewActions, loadBudgetView } from '$lib/server/budget-view';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, params, locals }) => {
  const page = await loadBudgetView(fetch, locals.person, params.budgetId);
  if (!page.budget) error(404, 'not_found');
  return page;
};

export const actions: Actions = budgetViewActions;
