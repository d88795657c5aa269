// The budget as pages need it: which budget is current, and every change of its lines in order.
import { type Reply, read, readOptional } from './api';

type Fetch = typeof fetch;
export type BudgetSummary = Reply<'budgets'>['budgets'][number];
export type LineChange = Reply<'lineHistory'>['changes'][number];

/**
 * The budget a page shows when none is asked for: the one whose fiscal period contains today, else the
 * most recently opened.
 */
export function currentBudget(budgets: readonly BudgetSummary[], now: Date): BudgetSummary | null {
  const today = now.toISOString().slice(0, 10);
  const byOpening = [...budgets].sort((a, b) => b.openedAt.localeCompare(a.openedAt));
  return (
    byOpening.find((budget) => budget.fiscalPeriod.start <= today && today <= budget.fiscalPeriod.end) ??
    byOpening[0] ??
    null
  );
}

export async function loadBudgets(fetch: Fetch): Promise<BudgetSummary[]> {
  return (await readOptional(fetch, 'budgets'))?.budgets ?? [];
}

/** Every change of every line of a budget, oldest first (the line histories, merged by log position). */
export async function loadBudgetChanges(
  fetch: Fetch,
  budgetId: string,
  lineIds: readonly string[],
): Promise<LineChange[]> {
  const histories = await Promise.all(
    lineIds.map((lineId) => read(fetch, 'lineHistory', { budgetId, lineId }, { limit: 1000 })),
  );
  return histories.flatMap((history) => history.changes).sort((a, b) => a.position - b.position);
}

/** Everything the budget page shows: lines, the chart's series, questions (with answers). */
/** Open proposals that would change a line, by line id. */
export type PendingChanges = Record<string, { proposalId: string; title: string }[]>;

export async function loadBudgetPage(fetch: Fetch, budgetId: string | null) {
  const budgets = await loadBudgets(fetch);
  const summary = budgetId
    ? (budgets.find((budget) => budget.budgetId === budgetId) ?? null)
    : currentBudget(budgets, new Date());
  if (!summary) return { budgets, budget: null, changes: [], questions: [], pending: {} as PendingChanges };
  const [budget, questions, opened] = await Promise.all([
    read(fetch, 'budget', { budgetId: summary.budgetId }),
    read(fetch, 'questions', { budgetId: summary.budgetId }),
    read(fetch, 'proposals', {}, { status: 'open', limit: 100 }),
  ]);
  // Changes already proposed: each line lists the open proposals that would change it.
  const pending: PendingChanges = {};
  for (const proposal of opened.proposals) {
    if (proposal.links.budgetId !== summary.budgetId) continue;
    for (const lineId of proposal.links.lineIds) {
      const list = pending[lineId] ?? [];
      list.push({ proposalId: proposal.proposalId, title: proposal.title });
      pending[lineId] = list;
    }
  }
  const changes = await loadBudgetChanges(
    fetch,
    budget.budgetId,
    budget.lines.map((line) => line.lineId),
  );
  return { budgets, budget, changes, questions: questions.questions, pending };
}
