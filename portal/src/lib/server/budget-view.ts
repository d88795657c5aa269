// What the budget page (BudgetView) loads and answers, the same at /budget (the current budget) and at
// /budget/[budgetId].
import { loadBudgetPage } from './budget';
import { waitingExpenses } from './expenses';
import { followActions, loadFollows } from './follow';
import { may } from './may';
import { raiseQuestion } from './questions';

type Fetch = typeof fetch;

/** The budget `budgetId` (null: the current one), what the reader follows, and what they may do. */
export async function loadBudgetView(
  fetch: Fetch,
  person: Parameters<typeof waitingExpenses>[1],
  budgetId: string | null,
) {
  const [page, follows, waiting] = await Promise.all([
    loadBudgetPage(fetch, budgetId),
    loadFollows(fetch),
    waitingExpenses(fetch, person),
  ]);
  return {
    ...page,
    follows,
    canAsk: may(person, 'RaiseBudgetQuestion'),
    /** Expenses waiting for the reader's organization's approval; null for those who never approve. */
    waitingExpenses: may(person, 'ApproveExpense') ? waiting.length : null,
  };
}

/** The page's forms: a question about a line, and following one. */
export const budgetViewActions = { ask: raiseQuestion, ...followActions };
