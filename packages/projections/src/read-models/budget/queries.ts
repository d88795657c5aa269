import { bodyOf } from '../deciding-body.ts';
import { sumTotals } from '../primitives.ts';
import type { QueryContext } from '../query-context.ts';
import { openQuestionCounts } from '../questions/queries.ts';
import type { BudgetDetail, BudgetLineView, BudgetSummary, LineChange } from './schema.ts';
import type { BudgetLineHistoryRow, BudgetLineRow, BudgetRow } from './table.ts';
import { budgetLineHistory, budgetLines, budgets } from './table.ts';

/** The budget read model's part of `ReadModels`. */
export interface BudgetQueries {
  budgets(): Promise<BudgetSummary[]>;
  budget(budgetId: string): Promise<BudgetDetail | null>;
  lineHistory(
    lineId: string,
    options?: { budgetId?: string; after?: number; limit?: number },
  ): Promise<LineChange[]>;
}

/** Budgets with their totals, one budget with its lines, and the history of a line. */
export function budgetQueries(context: QueryContext): BudgetQueries {
  const { q, all, allOf, allWhere, firstWhere } = context;
  return {
    async budgets() {
      const listed = await allOf(budgets, 'opened_position');
      const lines = await allOf(budgetLines);
      const open = await openQuestionCounts(context);
      return listed.map((budget) => summarize(budget, lines, open));
    },

    async budget(budgetId) {
      const budget = await firstWhere(budgets, 'budget_id', budgetId);
      if (!budget) return null;
      const lines = await allWhere(budgetLines, 'budget_id', budgetId, 'created_at', 'line_id');
      const open = await openQuestionCounts(context, budgetId);
      return {
        ...summarize(budget, lines, open),
        lines: lines.map((line) => toLineView(line, open.get(`${line.budget_id}/${line.line_id}`) ?? 0)),
      };
    },

    async lineHistory(lineId, options = {}) {
      let query = q.selectFrom('budget_line_history').selectAll().where('line_id', '=', lineId);
      if (options.budgetId) query = query.where('budget_id', '=', options.budgetId);
      if (options.after !== undefined) query = query.where('global_position', '>', options.after);
      const history = await all<BudgetLineHistoryRow>(
        budgetLineHistory,
        query.orderBy('global_position').limit(Math.min(options.limit ?? 500, 5000)),
      );
      const currencies = await budgetCurrencies(context);
      return history.map((change) => toLineChange(change, currencies.get(change.budget_id) ?? null));
    },
  };
}

/** Each budget's currency by id: other read models show amounts with the currency of their budget. */
export async function budgetCurrencies({ allOf }: QueryContext): Promise<Map<string, string>> {
  return new Map((await allOf(budgets)).map((b) => [b.budget_id, b.currency]));
}

function summarize(budget: BudgetRow, lines: BudgetLineRow[], open: Map<string, number>): BudgetSummary {
  const own = lines.filter((line) => line.budget_id === budget.budget_id);
  return {
    budgetId: budget.budget_id,
    name: budget.name,
    currency: budget.currency,
    fiscalPeriod: { start: budget.fiscal_start, end: budget.fiscal_end },
    openedByProposalId: budget.opened_by_proposal_id,
    openedAt: budget.opened_at,
    updatedAt: budget.updated_at,
    totals: sumTotals(own),
    lineCount: own.length,
    openQuestions: own.reduce(
      (total, line) => total + (open.get(`${line.budget_id}/${line.line_id}`) ?? 0),
      0,
    ),
  };
}

function toLineView(row: BudgetLineRow, openQuestions = 0): BudgetLineView {
  return {
    budgetId: row.budget_id,
    lineId: row.line_id,
    name: row.name,
    category: row.category,
    stewardGroupId: row.steward_group_id,
    partnerOrganizationIds: row.partner_organization_ids,
    currency: row.currency,
    allocated: row.allocated,
    committed: row.committed,
    spent: row.spent,
    paid: row.paid,
    remaining: row.remaining,
    changes: row.changes,
    createdByProposalId: row.created_by_proposal_id,
    createdAt: row.created_at,
    updatedAt: row.updated_at,
    openQuestions,
  };
}

function toLineChange(row: BudgetLineHistoryRow, currency: string | null): LineChange {
  return {
    position: row.global_position,
    budgetId: row.budget_id,
    lineId: row.line_id,
    change: row.change,
    amount: row.amount,
    currency,
    after: {
      allocated: row.allocated_after,
      committed: row.committed_after,
      spent: row.spent_after,
      paid: row.paid_after,
      remaining: row.remaining_after,
    },
    description: row.description,
    proposalId: row.proposal_id,
    proposalTitle: row.proposal_title,
    decidedBy: bodyOf(row.decided_by_type, row.decided_by_group_id),
    grantCallId: row.grant_call_id,
    applicationId: row.application_id,
    organizationId: row.organization_id,
    expenseId: row.expense_id,
    at: row.at,
  };
}
