import { redirect } from '@sveltejs/kit';
import { m } from '$lib/paraglide/messages.js';
import { read, readOptional, send } from '$lib/server/api';
import { loadBudgets } from '$lib/server/budget';
import { invalid, Posted, refused } from '$lib/server/forms';
import { may } from '$lib/server/may';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, locals }) => {
  const [{ grantCalls }, budgets] = await Promise.all([read(fetch, 'grantCalls'), loadBudgets(fetch)]);
  const details = await Promise.all(
    budgets.map((budget) => readOptional(fetch, 'budget', { budgetId: budget.budgetId })),
  );
  const lines = details.flatMap((budget) =>
    (budget?.lines ?? [])
      .filter((line) => line.category === 'grants')
      .map((line) => ({
        value: `${line.budgetId}/${line.lineId}`,
        label: `${budget?.name} — ${line.name}`,
        name: line.name,
      })),
  );
  return {
    grantCalls,
    lines,
    lineNames: Object.fromEntries(lines.map((line) => [line.value, line.name])),
    canPublish: may(locals.person, 'PublishGrantCall') && lines.length > 0,
  };
};

export const actions: Actions = {
  publish: async ({ request, fetch }) => {
    const posted = await Posted.of(request);
    const fields: Record<string, string> = {};
    const title = posted.text('title');
    const description = posted.text('description');
    const criteria = posted
      .text('criteria')
      .split(/\r?\n/)
      .map((line) => line.trim())
      .filter(Boolean);
    const [budgetId = '', lineId = ''] = posted.text('line').split('/');
    const deadlineText = posted.text('deadline');
    const deadline = /^\d{4}-\d{2}-\d{2}$/.test(deadlineText) ? `${deadlineText}T23:59:59Z` : null;
    if (!title) fields.title = m.field_required();
    if (!description) fields.description = m.field_required();
    if (criteria.length === 0) fields.criteria = m.field_required();
    if (!budgetId || !lineId) fields.line = m.field_required();
    if (!deadline) fields.deadline = m.field_date_invalid();
    if (Object.keys(fields).length || !deadline) return invalid('publish', fields, posted);
    const result = await send(fetch, 'publishGrantCall', {
      body: { title, description, criteria, budgetId, lineId, deadline },
      key: posted.key(),
    });
    if (!result.ok) {
      return refused('publish', result.problem, posted, {
        DEADLINE_IN_THE_PAST: 'deadline',
        NOT_A_GRANTS_LINE: 'line',
        NOT_A_STEWARD: 'line',
      });
    }
    redirect(303, `/grants/${String(result.body.created.grantCallId ?? '')}`);
  },
};
