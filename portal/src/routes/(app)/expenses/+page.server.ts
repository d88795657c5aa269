import { actsOn } from '$lib/server/expense-acts';
import { expenseActions, groupMembers, waitingExpenses } from '$lib/server/expenses';
import { may } from '$lib/server/may';
import type { Actions, PageServerLoad } from './$types';

/**
 * The approval queue: the expenses waiting for the reader's organization (in the approving group, not
 * the submitter or the payee, not approved by it yet), oldest first, with approve and reject forms.
 */
export const load: PageServerLoad = async ({ fetch, locals }) => {
  const waiting = await waitingExpenses(fetch, locals.person);
  const approvers = await groupMembers(
    fetch,
    waiting.map(({ expense }) => expense.approverGroupId),
  );
  return {
    approves: may(locals.person, 'ApproveExpense') && !!locals.person?.organizationId,
    waiting: waiting.map((item) => ({
      ...item,
      acts: actsOn(item.expense, locals.person, approvers[item.expense.approverGroupId] ?? []),
    })),
  };
};

export const actions: Actions = {
  approveExpense: expenseActions.approveExpense,
  rejectExpense: expenseActions.rejectExpense,
};
