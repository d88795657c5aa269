import { error } from '@sveltejs/kit';
import { download } from '$lib/server/export';
import type { RequestHandler } from './$types';

/** The budget as CSV: each line's figures, then every change with the event that made it. */
export const GET: RequestHandler = async ({ fetch, params, locals }) => {
  if (!locals.person) error(401, 'unauthenticated');
  return download(fetch, `/api/budgets/${encodeURIComponent(params.budgetId)}/budget.csv`);
};
