import { m } from '$lib/paraglide/messages.js';
import { read, readOptional, send } from '$lib/server/api';
import { accepted, invalid, Posted, refused } from '$lib/server/forms';
import type { Actions, PageServerLoad } from './$types';

export const load: PageServerLoad = async ({ fetch, params, locals }) => {
  const group = await read(fetch, 'workingGroup', params);
  const budgetIds = [...new Set(group.mandate.budgetLines.map((ref) => ref.budgetId))];
  const budgets = await Promise.all(budgetIds.map((budgetId) => readOptional(fetch, 'budget', { budgetId })));
  const organizationId = locals.person?.role === 'representative' ? locals.person.organizationId : null;
  const mine = group.members.find((member) => member.organizationId === organizationId) ?? null;
  return {
    group,
    lines: Object.fromEntries(
      budgets.flatMap((budget) =>
        (budget?.lines ?? []).map((line) => [`${line.budgetId}/${line.lineId}`, line.name]),
      ),
    ),
    currency: budgets[0]?.currency ?? null,
    mine,
    canJoin: organizationId !== null && !mine && group.status === 'active',
    organizationId,
  };
};

function hours(posted: Posted): number | null {
  const text = posted.text('hoursPerMonth');
  return /^\d{1,3}$/.test(text) && Number(text) <= 744 ? Number(text) : null;
}

/** Joining the group, or changing the time committed to it: the hours a month posted, and why. */
async function commitHours(
  request: Request,
  fetch: typeof globalThis.fetch,
  action: 'join' | 'time',
  command: 'joinWorkingGroup' | 'commitTime',
  params: Record<string, string>,
  notice: () => string,
) {
  const posted = await Posted.of(request);
  const hoursPerMonth = hours(posted);
  if (hoursPerMonth === null) return invalid(action, { hoursPerMonth: m.hours_invalid() }, posted);
  const result = await send(fetch, command, {
    params,
    body: { hoursPerMonth, reason: posted.text('reason') || null },
    key: posted.key(),
  });
  if (!result.ok) return refused(action, result.problem, posted);
  return accepted(action, notice());
}

export const actions: Actions = {
  join: ({ request, fetch, params }) =>
    commitHours(request, fetch, 'join', 'joinWorkingGroup', params, m.group_joined),
  time: ({ request, fetch, params, locals }) =>
    commitHours(
      request,
      fetch,
      'time',
      'commitTime',
      { groupId: params.groupId, organizationId: locals.person?.organizationId ?? '' },
      m.time_committed,
    ),
  leave: async ({ request, fetch, params, locals }) => {
    const posted = await Posted.of(request);
    const result = await send(fetch, 'leaveWorkingGroup', {
      params: { groupId: params.groupId, organizationId: locals.person?.organizationId ?? '' },
      body: { reason: posted.text('reason') || null },
      key: posted.key(),
    });
    if (!result.ok) return refused('leave', result.problem, posted);
    return accepted('leave', m.group_left());
  },
};
