import type { AttachmentRef } from '@concord/domain';
import { col, type RowOf, type TablesOf, table } from '../../schema/columns.ts';

/** Expenses submitted against budget lines, where each stands, and who approved it. */
export const expenses = table({
  name: 'expenses',
  columns: {
    budget_id: col.id(),
    expense_id: col.id(),
    line_id: col.id(),
    amount: col.bigint(),
    description: col.text(),
    payee_organization_id: col.id().orNull(),
    payee_name: col.text().orNull(),
    spent_on: col.text(),
    receipts: col.json<AttachmentRef[]>(),
    submitted_by_organization_id: col.id(),
    submitted_by_person_id: col.id(),
    submitted_at: col.time(),
    approver_group_id: col.id(),
    approvals_needed: col.integer(),
    approvals: col.json<{ organizationId: string; personId: string; at: string }[]>(),
    status: col.text<'submitted' | 'spent' | 'paid' | 'rejected' | 'withdrawn'>(),
    reason: col.text().orNull(),
    payment_reference: col.text().orNull(),
    ended_by_organization_id: col.id().orNull(),
    ended_at: col.time().orNull(),
    submitted_position: col.bigint(),
    updated_at: col.time(),
    /** The awarded grant it pays out, if it is a disbursement. */
    grant_call_id: col.id().orNull(),
    application_id: col.id().orNull(),
  },
  primaryKey: ['budget_id', 'expense_id'],
  indexes: [{ name: 'expenses_line', columns: ['budget_id', 'line_id', 'submitted_position'] }],
});

export type ExpenseRow = RowOf<typeof expenses>;

/** This read model's tables as Kysely sees them. */
export type ExpenseTables = TablesOf<typeof expenses>;
