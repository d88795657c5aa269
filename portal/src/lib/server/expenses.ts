// Expenses (ADR 0022) as pages need them: what a reader's organization may do with each one, which wait
// for its approval, how a line's stewarding group approves them, and the form actions that act on them.
import type { RequestEvent } from '@sveltejs/kit';
import { parseAmount } from '$lib/money';
import { m } from '$lib/paraglide/messages.js';
import { getLocale } from '$lib/paraglide/runtime';
import { type Reply, read, readOptional, send } from './api';
import { uploadsOf } from './attachments';
import { loadBudgets } from './budget';
import { actsOn } from './expense-acts';
import { accepted, invalid, Posted, refused } from './forms';
import { may } from './may';

type Fetch = typeof fetch;
type Person = { role: string; organizationId: string | null } | null | undefined;
type ExpenseView = Reply<'expenses'>['expenses'][number];

/** The member organizations of each working group named, by group id (the groups that approve). */
export async function groupMembers(
  fetch: Fetch,
  groupIds: Iterable<string>,
): Promise<Record<string, string[]>> {
  const ids = [...new Set(groupIds)];
  const groups = await Promise.all(ids.map((groupId) => readOptional(fetch, 'workingGroup', { groupId })));
  return Object.fromEntries(
    groups
      .filter((group) => group !== null)
      .map((group) => [group.groupId, group.members.map((member) => member.organizationId)]),
  );
}

/** An expense waiting for the reader's organization, with where it is. */
export interface WaitingExpense {
  expense: ExpenseView;
  budget: { budgetId: string; name: string; currency: string };
  lineName: string;
}

/**
 * The expenses waiting for the reader's organization's approval, on every budget: its organization is
 * in the approving group, neither submitted it nor is paid by it, and has not approved it yet.
 */
export async function waitingExpenses(fetch: Fetch, person: Person): Promise<WaitingExpense[]> {
  if (!person?.organizationId || !may(person, 'ApproveExpense')) return [];
  const budgets = await loadBudgets(fetch);
  const pending = await Promise.all(
    budgets.map(async (budget) => ({
      budget,
      expenses: (await read(fetch, 'expenses', { budgetId: budget.budgetId }, { status: 'submitted' }))
        .expenses,
    })),
  );
  const members = await groupMembers(
    fetch,
    pending.flatMap(({ expenses }) => expenses.map((expense) => expense.approverGroupId)),
  );
  const waiting = pending.map(({ budget, expenses }) => ({
    budget,
    expenses: expenses.filter(
      (expense) => actsOn(expense, person, members[expense.approverGroupId] ?? []).approve,
    ),
  }));
  const withLines = await Promise.all(
    waiting
      .filter(({ expenses }) => expenses.length > 0)
      .map(async ({ budget, expenses }) => {
        const detail = await read(fetch, 'budget', { budgetId: budget.budgetId });
        const names = new Map(detail.lines.map((line) => [line.lineId, line.name]));
        return expenses.map((expense) => ({
          expense,
          budget: { budgetId: budget.budgetId, name: budget.name, currency: budget.currency },
          lineName: names.get(expense.lineId) ?? expense.lineId,
        }));
      }),
  );
  return withLines.flat();
}

/** `YYYY-MM-DD` of a real day, or null. */
function isoDate(text: string): string | null {
  if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) return null;
  const date = new Date(`${text}T00:00:00Z`);
  return Number.isNaN(date.getTime()) || date.toISOString().slice(0, 10) !== text ? null : text;
}

type ActionEvent = Pick<RequestEvent, 'request' | 'fetch'>;

/** Which expense a form acts on (its hidden fields). */
const expenseOf = (posted: Posted) => ({
  budgetId: posted.text('budgetId'),
  expenseId: posted.text('expenseId'),
});

/**
 * A form acting on one expense (the form `expense-<act>-<expenseId>`) with `command`, sending the posted
 * `field` (the reason, the payment's reference), which must not be empty when `required`.
 */
async function actOnExpense(
  { request, fetch }: ActionEvent,
  act: string,
  command: 'rejectExpense' | 'withdrawExpense' | 'markExpensePaid',
  field: 'reason' | 'reference',
  required: boolean,
  notice: () => string,
) {
  const posted = await Posted.of(request);
  const { budgetId, expenseId } = expenseOf(posted);
  const action = `expense-${act}-${expenseId}`;
  const value = posted.text(field);
  if (required && !value) return invalid(action, { [field]: m.field_required() }, posted);
  const result = await send(fetch, command, {
    params: { budgetId, expenseId },
    body: { [field]: value || null },
    key: posted.key(),
  });
  if (!result.ok) return refused(action, result.problem, posted);
  return accepted(action, notice());
}

/** Form actions on expenses, for the pages that show them (a line's page, the approval queue). */
export const expenseActions = {
  /** A representative submits an expense against the line, with its receipts. */
  submitExpense: async ({ request, fetch }: ActionEvent) => {
    const posted = await Posted.of(request);
    const budgetId = posted.text('budgetId');
    const lineId = posted.text('lineId');
    if (!budgetId || !lineId) return invalid('expense-submit', {}, posted, m.problem_budget_line_not_found());
    const budget = await read(fetch, 'budget', { budgetId });
    const description = posted.text('description');
    const payeeOrganizationId = posted.text('payeeOrganizationId') || null;
    const payeeName = posted.text('payeeName') || null;
    const amount = parseAmount(posted.text('amount'), budget.currency, getLocale());
    const spentOn = isoDate(posted.text('spentOn'));
    const fields: Record<string, string> = {};
    if (!description) fields.description = m.field_required();
    if (!payeeOrganizationId && !payeeName) fields.payeeName = m.expense_payee_required();
    if (payeeOrganizationId && payeeName) fields.payeeName = m.expense_payee_both();
    if (amount === null || amount <= 0) fields.amount = m.amount_invalid();
    if (!spentOn) fields.spentOn = m.expense_date_invalid();
    if (Object.keys(fields).length || amount === null || !spentOn) {
      return invalid('expense-submit', fields, posted);
    }
    const uploads = await uploadsOf(fetch, posted.data, 'receipts');
    if ('refused' in uploads) return invalid('expense-submit', {}, posted, uploads.refused);
    const receipts = uploads.documents;
    const result = await send(fetch, 'submitExpense', {
      params: { budgetId },
      body: {
        lineId,
        amount,
        description,
        payeeOrganizationId,
        payeeName,
        spentOn,
        receipts,
      },
      key: posted.key(),
    });
    if (!result.ok) {
      return refused('expense-submit', result.problem, posted, {
        INSUFFICIENT_FUNDS: 'amount',
        AMOUNT_TOO_LARGE: 'amount',
      });
    }
    return accepted('expense-submit', m.expense_submitted_notice());
  },

  approveExpense: async ({ request, fetch }: ActionEvent) => {
    const posted = await Posted.of(request);
    const { budgetId, expenseId } = expenseOf(posted);
    const action = `expense-approve-${expenseId}`;
    const result = await send(fetch, 'approveExpense', {
      params: { budgetId, expenseId },
      key: posted.key(),
    });
    if (!result.ok) return refused(action, result.problem, posted);
    const spent = result.body.events.some((event) => event.type === 'ExpenseSpent');
    return accepted(action, spent ? m.expense_approved_spent_notice() : m.expense_approved_notice());
  },

  rejectExpense: (event: ActionEvent) =>
    actOnExpense(event, 'reject', 'rejectExpense', 'reason', true, m.expense_rejected_notice),

  withdrawExpense: (event: ActionEvent) =>
    actOnExpense(event, 'withdraw', 'withdrawExpense', 'reason', false, m.expense_withdrawn_notice),

  markExpensePaid: (event: ActionEvent) =>
    actOnExpense(event, 'paid', 'markExpensePaid', 'reference', true, m.expense_paid_notice),
};
