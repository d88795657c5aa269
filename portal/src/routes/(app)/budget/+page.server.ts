import { budgetViewActions, loadBudgetView } from '$lib/server/budget-view';
import type { Actions, PageServerLoad } from './$types';

/** The current budget (the one whose fiscal period contains today), served at /budget without a redirect. */
export const load: PageServerLoad = ({ fetch, locals }) => loadBudgetView(fetch, locals.person, null);

export const actions: Actions = budgetViewActions;
