import { csvField } from '../../export.ts';
import type { BudgetTotals } from '../primitives.ts';
import type { BudgetQueries } from './queries.ts';
import type { BudgetDetail, LineChange } from './schema.ts';

/**
 * The columns of a budget's CSV: a `line` row per line with its figures now, then a `change` row per
 * change of a line with the figures after it and what made it (the event's global position, the adopted
 * proposal or approved expense, the grant), so every figure traces to the events that made it.
 */
export const BUDGET_CSV_COLUMNS = [
  'row',
  'line_id',
  'line_name',
  'position',
  'change',
  'amount',
  'currency',
  'allocated',
  'committed',
  'spent',
  'paid',
  'remaining',
  'proposal_id',
  'expense_id',
  'grant_call_id',
  'application_id',
  'organization_id',
  'at',
] as const;

const row = (values: readonly unknown[]) => `${values.map(csvField).join(',')}\r\n`;
const figures = ({ allocated, committed, spent, paid, remaining }: BudgetTotals) =>
  [allocated, committed, spent, paid, remaining] as const;

/** A line's changes a page at a time (the history query answers at most this many). */
const PAGE = 5_000;

/**
 * A budget as CSV (with its header), a line at a time: its lines' figures, then each line's changes in
 * order. Null when there is no such budget.
 */
export async function budgetCsv(
  models: Pick<BudgetQueries, 'budget' | 'lineHistory'>,
  budgetId: string,
): Promise<AsyncIterable<string> | null> {
  const budget = await models.budget(budgetId);
  if (!budget) return null;
  async function* lines(budget: BudgetDetail): AsyncIterable<string> {
    yield row(BUDGET_CSV_COLUMNS);
    for (const line of budget.lines) {
      const { lineId, name, currency } = line;
      yield row([
        ...['line', lineId, name, null, null, null, currency],
        ...figures(line),
        ...[line.createdByProposalId, null, null, null, null, line.updatedAt],
      ]);
    }
    for (const { lineId, name } of budget.lines) {
      let after: number | undefined;
      for (;;) {
        const changes: LineChange[] = await models.lineHistory(lineId, { budgetId, after, limit: PAGE });
        for (const change of changes) {
          const { position, amount, currency, proposalId, expenseId, grantCallId, applicationId } = change;
          yield row([
            ...['change', lineId, name, position, change.change, amount, currency],
            ...figures(change.after),
            ...[proposalId, expenseId, grantCallId, applicationId, change.organizationId, change.at],
          ]);
        }
        if (changes.length < PAGE) break;
        after = changes.at(-1)?.position;
      }
    }
  }
  return lines(budget);
}
