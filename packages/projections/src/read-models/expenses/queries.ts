import type { QueryContext } from '../query-context.ts';
import type { ExpenseView } from './schema.ts';
import { type ExpenseRow, expenses } from './table.ts';

/** The expenses read model's part of `ReadModels`. */
export interface ExpenseQueries {
  /** Expenses of a budget (of one line, in one state), oldest first. */
  expenses(filter: {
    budgetId: string;
    lineId?: string;
    status?: ExpenseView['status'];
  }): Promise<ExpenseView[]>;
  expense(budgetId: string, expenseId: string): Promise<ExpenseView | null>;
}

export function expenseQueries({ q, all }: QueryContext): ExpenseQueries {
  return {
    async expenses(filter) {
      let query = q.selectFrom('expenses').selectAll().where('budget_id', '=', filter.budgetId);
      if (filter.lineId) query = query.where('line_id', '=', filter.lineId);
      if (filter.status) query = query.where('status', '=', filter.status);
      return (await all<ExpenseRow>(expenses, query.orderBy('submitted_position'))).map(toExpenseView);
    },
    async expense(budgetId, expenseId) {
      const query = q
        .selectFrom('expenses')
        .selectAll()
        .where('budget_id', '=', budgetId)
        .where('expense_id', '=', expenseId);
      const [row] = await all<ExpenseRow>(expenses, query);
      return row ? toExpenseView(row) : null;
    },
  };
}

function toExpenseView(row: ExpenseRow): ExpenseView {
  return {
    budgetId: row.budget_id,
    expenseId: row.expense_id,
    lineId: row.line_id,
    amount: row.amount,
    description: row.description,
    payeeOrganizationId: row.payee_organization_id,
    payeeName: row.payee_name,
    spentOn: row.spent_on,
    receipts: row.receipts,
    grant:
      row.grant_call_id && row.application_id
        ? { grantCallId: row.grant_call_id, applicationId: row.application_id }
        : null,
    submittedBy: { organizationId: row.submitted_by_organization_id, personId: row.submitted_by_person_id },
    submittedAt: row.submitted_at,
    approverGroupId: row.approver_group_id,
    approvalsNeeded: row.approvals_needed,
    approvals: row.approvals,
    status: row.status,
    reason: row.reason,
    paymentReference: row.payment_reference,
    endedBy: row.ended_by_organization_id,
    endedAt: row.ended_at,
    position: row.submitted_position,
  };
}
