import { available } from '@concord/domain';
import type { Rows } from '../../projector/unit-of-work.ts';
import { type ExpenseRow, expenses } from '../expenses/table.ts';
import { type ProposalRow, proposals } from '../proposals/table.ts';
import { type EventOf, iso, type View, type ViewChange } from '../view.ts';
import {
  type BudgetLineHistoryRow,
  type BudgetLineRow,
  type BudgetRow,
  budgetLineHistory,
  budgetLines,
  budgets,
} from './table.ts';

type LineEvent = EventOf<
  | 'BudgetLineCreated'
  | 'BudgetLineAllocationChanged'
  | 'BudgetLineSpent'
  | 'GrantFundsCommitted'
  | 'GrantFundsDisbursed'
  | 'BudgetLineStewardshipChanged'
>;

const changeOf = {
  BudgetLineCreated: 'created',
  BudgetLineAllocationChanged: 'allocationChanged',
  BudgetLineSpent: 'spent',
  GrantFundsCommitted: 'grantCommitted',
  GrantFundsDisbursed: 'grantDisbursed',
  BudgetLineStewardshipChanged: 'stewardshipChanged',
} as const satisfies Record<LineEvent['type'], BudgetLineHistoryRow['change']>;

function isLineEvent(event: { type: string }): event is LineEvent {
  return event.type in changeOf;
}

/** A line's row as changed, written with its totals and its history row. */
function writeLine(
  uow: Rows,
  change: (change: ViewChange) => void,
  line: BudgetLineRow,
  budget: BudgetRow,
  history: Omit<
    BudgetLineHistoryRow,
    | 'budget_id'
    | 'line_id'
    | 'allocated_after'
    | 'committed_after'
    | 'spent_after'
    | 'paid_after'
    | 'remaining_after'
  >,
): void {
  line.remaining = available({
    lineId: line.line_id,
    name: line.name,
    category: line.category as never,
    stewardGroupId: line.steward_group_id,
    partnerOrganizationIds: line.partner_organization_ids,
    allocated: line.allocated,
    committed: line.committed,
    spent: line.spent,
  });
  line.changes += 1;
  line.updated_at = history.at;
  line.last_position = history.global_position;
  uow.put(budgetLines, line);
  uow.put<BudgetRow>(budgets, { ...budget, updated_at: history.at });
  uow.append<BudgetLineHistoryRow>(budgetLineHistory, {
    ...history,
    budget_id: line.budget_id,
    line_id: line.line_id,
    allocated_after: line.allocated,
    committed_after: line.committed,
    spent_after: line.spent,
    paid_after: line.paid,
    remaining_after: line.remaining,
  });
  change({ view: 'budgetLine', id: line.line_id, budgetId: line.budget_id });
  change({ view: 'budget', id: line.budget_id });
}

/**
 * The budget: each budget's frame, each line's allocated, committed, spent and remaining amounts and its
 * stewarding group, and every change of a line with the adopted proposal that decided it (or the approved
 * expense that spent it).
 */
export const budgetView: View = {
  name: 'budget',
  types: ['BudgetOpened', 'ExpenseSpent', 'ExpensePaid', ...(Object.keys(changeOf) as LineEvent['type'][])],
  needs({ event }, uow) {
    if (event.type === 'ExpenseSpent' || event.type === 'ExpensePaid') {
      const { budgetId, lineId, expenseId } = event.data;
      uow.want(budgets, budgetId);
      uow.want(budgetLines, budgetId, lineId);
      uow.want(expenses, budgetId, expenseId);
    }
    if (isLineEvent(event)) {
      uow.want(budgets, event.data.budgetId);
      uow.want(proposals, event.data.execution.proposalId);
      if (event.type !== 'BudgetLineCreated') uow.want(budgetLines, event.data.budgetId, event.data.lineId);
    }
  },
  apply({ event, recorded }, { uow, change }) {
    if (event.type === 'BudgetOpened') {
      const { budgetId, name, currency, fiscalPeriod, execution, at } = event.data;
      uow.put<BudgetRow>(budgets, {
        budget_id: budgetId,
        name,
        currency,
        fiscal_start: fiscalPeriod.start,
        fiscal_end: fiscalPeriod.end,
        opened_by_proposal_id: execution.proposalId,
        opened_at: iso(at),
        opened_position: recorded.globalPosition,
        updated_at: iso(at),
      });
      change({ view: 'budget', id: budgetId });
      return;
    }
    if (event.type === 'ExpenseSpent' || event.type === 'ExpensePaid') {
      const { budgetId, lineId, expenseId, amount } = event.data;
      const budget = uow.get<BudgetRow>(budgets, budgetId);
      const existing = uow.get<BudgetLineRow>(budgetLines, budgetId, lineId);
      if (!budget || !existing)
        throw new Error(`${event.type} at ${recorded.globalPosition}: no line ${budgetId}/${lineId}`);
      // The expenses view comes after this one: the row is as submitted, which is all this needs.
      const expense = uow.get<ExpenseRow>(expenses, budgetId, expenseId);
      const grant = event.type === 'ExpenseSpent' ? event.data.grant : null;
      const line =
        event.type === 'ExpensePaid'
          ? { ...existing, paid: existing.paid + amount }
          : grant
            ? // A disbursement: money committed to the grant becomes spent.
              { ...existing, committed: existing.committed - amount, spent: existing.spent + amount }
            : { ...existing, spent: existing.spent + amount };
      writeLine(uow, change, line, budget, {
        global_position: recorded.globalPosition,
        change: event.type === 'ExpensePaid' ? 'expensePaid' : 'expenseSpent',
        amount,
        description: expense?.description ?? null,
        proposal_id: null,
        proposal_title: null,
        // The stewarding group approved it (by its policy, not a proposal).
        decided_by_type: expense ? 'workingGroup' : null,
        decided_by_group_id: expense?.approver_group_id ?? null,
        grant_call_id: grant?.grantCallId ?? null,
        application_id: grant?.applicationId ?? null,
        organization_id: expense?.payee_organization_id ?? null,
        expense_id: expenseId,
        at: iso(event.data.at),
      });
      return;
    }
    if (!isLineEvent(event)) return;
    const { budgetId, lineId, execution } = event.data;
    const at = iso(event.data.at);
    const budget = uow.get<BudgetRow>(budgets, budgetId);
    if (!budget)
      throw new Error(`${event.type} at ${recorded.globalPosition}: budget ${budgetId} is not open`);
    let line: BudgetLineRow;
    let amount: number;
    let description: string | null = null;
    let grant: { grantCallId: string; applicationId: string } | null = null;
    let organizationId: string | null = null;
    if (event.type === 'BudgetLineCreated') {
      const { name, category, stewardGroupId, partnerOrganizationIds, allocated } = event.data;
      amount = allocated;
      line = {
        budget_id: budgetId,
        line_id: lineId,
        name,
        category,
        steward_group_id: stewardGroupId,
        partner_organization_ids: partnerOrganizationIds,
        currency: budget.currency,
        allocated,
        committed: 0,
        spent: 0,
        paid: 0,
        remaining: 0,
        changes: 0,
        created_by_proposal_id: execution.proposalId,
        created_at: at,
        updated_at: at,
        last_position: 0,
      };
    } else {
      const existing = uow.get<BudgetLineRow>(budgetLines, budgetId, lineId);
      if (!existing)
        throw new Error(`${event.type} at ${recorded.globalPosition}: no line ${budgetId}/${lineId}`);
      line = { ...existing };
      switch (event.type) {
        case 'BudgetLineAllocationChanged':
          amount = event.data.delta;
          line.allocated += amount;
          break;
        case 'BudgetLineSpent':
          amount = event.data.amount;
          line.spent += amount;
          description = event.data.description;
          organizationId = event.data.payeeOrganizationId;
          break;
        case 'GrantFundsCommitted':
          amount = event.data.amount;
          line.committed += amount;
          grant = event.data;
          organizationId = event.data.recipientOrganizationId;
          break;
        case 'GrantFundsDisbursed':
          amount = event.data.amount;
          line.committed -= amount;
          line.spent += amount;
          grant = event.data;
          break;
        case 'BudgetLineStewardshipChanged':
          // No money moves: the line changes hands (and partners), which its history shows.
          amount = 0;
          line.steward_group_id = event.data.stewardGroupId;
          line.partner_organization_ids = event.data.partnerOrganizationIds;
          break;
      }
    }
    const proposal = uow.get<ProposalRow>(proposals, execution.proposalId);
    writeLine(uow, change, line, budget, {
      global_position: recorded.globalPosition,
      change: changeOf[event.type],
      amount,
      description,
      proposal_id: execution.proposalId,
      proposal_title: proposal?.title ?? null,
      decided_by_type: proposal?.deciding_body_type ?? null,
      decided_by_group_id: proposal?.deciding_group_id ?? null,
      grant_call_id: grant?.grantCallId ?? null,
      application_id: grant?.applicationId ?? null,
      organization_id: organizationId,
      expense_id: null,
      at,
    });
  },
};
