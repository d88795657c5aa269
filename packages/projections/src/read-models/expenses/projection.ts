import { iso, type View } from '../view.ts';
import { type ExpenseRow, expenses } from './table.ts';

/**
 * Expenses: each as submitted, with every approval as it came, and how it ended (spent when the last
 * approval needed came, then paid; or rejected, or withdrawn). The line's figures are the budget view's.
 */
export const expensesView: View = {
  name: 'expenses',
  types: [
    'ExpenseSubmitted',
    'ExpenseApproved',
    'ExpenseSpent',
    'ExpenseRejected',
    'ExpenseWithdrawn',
    'ExpensePaid',
  ],
  needs({ event }, uow) {
    if (event.type.startsWith('Expense') && event.type !== 'ExpenseSubmitted') {
      const { budgetId, expenseId } = event.data as { budgetId: string; expenseId: string };
      uow.want(expenses, budgetId, expenseId);
    }
  },
  apply({ event, recorded }, { uow, change }) {
    if (event.type === 'ExpenseSubmitted') {
      const d = event.data;
      uow.put<ExpenseRow>(expenses, {
        budget_id: d.budgetId,
        expense_id: d.expenseId,
        line_id: d.lineId,
        amount: d.amount,
        description: d.description,
        payee_organization_id: d.payeeOrganizationId,
        payee_name: d.payeeName,
        spent_on: d.spentOn,
        receipts: d.receipts,
        submitted_by_organization_id: d.organizationId,
        submitted_by_person_id: d.personId,
        submitted_at: iso(d.at),
        approver_group_id: d.approverGroupId,
        approvals_needed: d.approvalsNeeded,
        approvals: [],
        status: 'submitted',
        reason: null,
        payment_reference: null,
        ended_by_organization_id: null,
        ended_at: null,
        submitted_position: recorded.globalPosition,
        updated_at: iso(d.at),
        grant_call_id: d.grant?.grantCallId ?? null,
        application_id: d.grant?.applicationId ?? null,
      });
      change({ view: 'expense', id: d.expenseId, budgetId: d.budgetId });
      return;
    }
    if (
      event.type !== 'ExpenseApproved' &&
      event.type !== 'ExpenseSpent' &&
      event.type !== 'ExpenseRejected' &&
      event.type !== 'ExpenseWithdrawn' &&
      event.type !== 'ExpensePaid'
    )
      return;
    const { budgetId, expenseId } = event.data;
    const expense = uow.get<ExpenseRow>(expenses, budgetId, expenseId);
    if (!expense) return;
    const at = iso(event.data.at);
    let next: ExpenseRow;
    switch (event.type) {
      case 'ExpenseApproved': {
        const { organizationId, personId } = event.data;
        next = {
          ...expense,
          approvals: [...expense.approvals, { organizationId, personId, at }],
        };
        break;
      }
      case 'ExpenseSpent':
        next = {
          ...expense,
          status: 'spent',
          ended_by_organization_id: expense.approvals.at(-1)?.organizationId ?? null,
          ended_at: at,
        };
        break;
      case 'ExpenseRejected':
      case 'ExpenseWithdrawn':
        next = {
          ...expense,
          status: event.type === 'ExpenseRejected' ? 'rejected' : 'withdrawn',
          reason: event.data.reason,
          ended_by_organization_id: event.data.organizationId,
          ended_at: at,
        };
        break;
      case 'ExpensePaid':
        next = {
          ...expense,
          status: 'paid',
          payment_reference: event.data.reference,
          ended_by_organization_id: event.data.organizationId,
          ended_at: at,
        };
        break;
    }
    uow.put<ExpenseRow>(expenses, { ...next, updated_at: at });
    change({ view: 'expense', id: expenseId, budgetId });
  },
};
