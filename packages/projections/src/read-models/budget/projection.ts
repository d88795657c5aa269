import { available } from '@concord/domain';
import { type ProposalRow, proposals } from '../proposals/table.ts';
import { type EventOf, iso, type View } from '../view.ts';
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

/**
 * The budget: each budget's frame, each line's allocated, committed, spent and remaining amounts and its
 * stewarding group, and every change of a line with the adopted proposal that decided it.
 */
export const budgetView: View = {
  name: 'budget',
  types: ['BudgetOpened', ...(Object.keys(changeOf) as LineEvent['type'][])],
  needs({ event }, uow) {
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
    line.remaining = available({
      lineId,
      name: line.name,
      category: line.category as never,
      stewardGroupId: line.steward_group_id,
      partnerOrganizationIds: line.partner_organization_ids,
      allocated: line.allocated,
      committed: line.committed,
      spent: line.spent,
    });
    line.changes += 1;
    line.updated_at = at;
    line.last_position = recorded.globalPosition;
    uow.put(budgetLines, line);
    uow.put<BudgetRow>(budgets, { ...budget, updated_at: at });

    const proposal = uow.get<ProposalRow>(proposals, execution.proposalId);
    uow.append<BudgetLineHistoryRow>(budgetLineHistory, {
      global_position: recorded.globalPosition,
      budget_id: budgetId,
      line_id: lineId,
      change: changeOf[event.type],
      amount,
      allocated_after: line.allocated,
      committed_after: line.committed,
      spent_after: line.spent,
      remaining_after: line.remaining,
      description,
      proposal_id: execution.proposalId,
      proposal_title: proposal?.title ?? null,
      decided_by_type: proposal?.deciding_body_type ?? null,
      decided_by_group_id: proposal?.deciding_group_id ?? null,
      grant_call_id: grant?.grantCallId ?? null,
      application_id: grant?.applicationId ?? null,
      organization_id: organizationId,
      at,
    });
    change({ view: 'budgetLine', id: lineId, budgetId });
    change({ view: 'budget', id: budgetId });
  },
};
