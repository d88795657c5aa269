import { col, type RowOf, type TablesOf, table } from '../../schema/columns.ts';
import type { LineChangeKind } from './schema.ts';

/** Budgets: name, currency, fiscal period and the proposal that opened each. */
export const budgets = table({
  name: 'budgets',
  columns: {
    budget_id: col.id(),
    name: col.text(),
    currency: col.text(),
    fiscal_start: col.text(),
    fiscal_end: col.text(),
    opened_by_proposal_id: col.id(),
    opened_at: col.time(),
    opened_position: col.bigint(),
    updated_at: col.time(),
  },
  primaryKey: ['budget_id'],
  indexes: [],
});

/** The lines of each budget with their running totals and steward. */
export const budgetLines = table({
  name: 'budget_lines',
  columns: {
    budget_id: col.id(),
    line_id: col.id(),
    name: col.text(),
    category: col.text(),
    steward_group_id: col.id().orNull(),
    partner_organization_ids: col.json<string[]>(),
    currency: col.text(),
    allocated: col.bigint(),
    committed: col.bigint(),
    spent: col.bigint(),
    remaining: col.bigint(),
    changes: col.integer(),
    created_by_proposal_id: col.id(),
    created_at: col.time(),
    updated_at: col.time(),
    last_position: col.bigint(),
    /** Of `spent`, what has been recorded as paid (expenses marked paid). */
    paid: col.bigint(),
  },
  primaryKey: ['budget_id', 'line_id'],
  indexes: [{ name: 'budget_lines_steward', columns: ['steward_group_id'] }],
});

/** Every change of a line, with the adopted proposal that decided it. */
export const budgetLineHistory = table({
  name: 'budget_line_history',
  columns: {
    global_position: col.bigint(),
    budget_id: col.id(),
    line_id: col.id(),
    change: col.text<LineChangeKind>(),
    amount: col.bigint(),
    allocated_after: col.bigint(),
    committed_after: col.bigint(),
    spent_after: col.bigint(),
    remaining_after: col.bigint(),
    description: col.text().orNull(),
    /** The adopted proposal behind the change; null for money an approved expense spent. */
    proposal_id: col.id().orNull(),
    proposal_title: col.text().orNull(),
    decided_by_type: col.text<'coalition' | 'workingGroup'>().orNull(),
    decided_by_group_id: col.id().orNull(),
    grant_call_id: col.id().orNull(),
    application_id: col.id().orNull(),
    organization_id: col.id().orNull(),
    at: col.time(),
    expense_id: col.id().orNull(),
    paid_after: col.bigint(),
  },
  primaryKey: ['global_position'],
  indexes: [{ name: 'budget_line_history_line', columns: ['budget_id', 'line_id', 'global_position'] }],
  appendOnly: true,
});

export type BudgetRow = RowOf<typeof budgets>;
export type BudgetLineRow = RowOf<typeof budgetLines>;
export type BudgetLineHistoryRow = RowOf<typeof budgetLineHistory>;

/** The budget read model's tables as Kysely sees them. */
export type BudgetTables = TablesOf<typeof budgets | typeof budgetLines | typeof budgetLineHistory>;
