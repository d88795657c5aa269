import { type DomainError, domainError, isDomainError } from '../errors.ts';
import { checkSteward, type WorkingGroupFacts } from '../working-group/facts.ts';
import { approvalsNeeded } from '../working-group/mandate.ts';
import { applyBudgetChange, type BudgetBook } from './apply.ts';
import type { BudgetChange } from './changes.ts';
import type { BudgetCommand } from './commands.ts';
import type { BudgetEvent } from './events.ts';
import { available, type DisbursedGrant, type GrantCommitment } from './line.ts';

/** An expense against a line and where it stands. */
export interface Expense {
  readonly expenseId: string;
  readonly lineId: string;
  readonly amount: number;
  /** The organization that submitted it: it never approves or rejects it. */
  readonly submittedBy: string;
  /** A member organization paid by it: it never approves or rejects it either. */
  readonly payeeOrganizationId: string | null;
  /** The awarded grant it pays out, or null for an ordinary expense. */
  readonly grant: DisbursedGrant;
  readonly approverGroupId: string;
  readonly approvalsNeeded: number;
  /** The organizations that approved it, in order. */
  readonly approvals: readonly string[];
  /** `spent`: approved by enough organizations, its amount taken from the line. */
  readonly status: 'submitted' | 'spent' | 'paid' | 'rejected' | 'withdrawn';
}

/** What the expense rules read of a budget: its book, currency and expenses. */
export interface ExpenseBook extends BudgetBook {
  readonly budgetId: string;
  readonly currency: string;
  readonly expenses: Readonly<Record<string, Expense>>;
}

type ExpenseCommand = Extract<
  BudgetCommand,
  { type: 'SubmitExpense' | 'ApproveExpense' | 'RejectExpense' | 'WithdrawExpense' | 'MarkExpensePaid' }
>;

/**
 * Whether an organization is recused from judging an expense (approving or rejecting it): it submitted
 * it, or it is paid by it (recusal, as for decisions).
 */
export function recusedFromExpense(
  organizationId: string,
  expense: { submittedBy: string | null; payeeOrganizationId: string | null },
): boolean {
  return organizationId === expense.submittedBy || organizationId === expense.payeeOrganizationId;
}

/** Why an expense cannot be approved by a group and needs a proposal, or null when it can. */
function proposalNeeded(
  book: ExpenseBook,
  command: Extract<ExpenseCommand, { type: 'SubmitExpense' }>,
  stewardGroupId: string | null,
  payeeOrganizationId: string | null,
): { reason: string; approvals?: number } | null {
  if (stewardGroupId === null) return { reason: 'coalitionLine' };
  const group = command.context.stewardGroup as WorkingGroupFacts;
  if (group.status !== 'active') return { reason: 'groupDissolved' };
  const policy = group.mandate.expenses;
  if (!policy) return { reason: 'noPolicy' };
  if (policy.currency !== book.currency) return { reason: 'otherCurrency' };
  const needed = approvalsNeeded(policy, command.amount, book.currency);
  if (needed === null) return { reason: 'aboveBound' };
  const submitted = { submittedBy: command.actor.organizationId, payeeOrganizationId };
  const eligible = group.memberIds.filter((member) => !recusedFromExpense(member, submitted)).length;
  return eligible < needed ? { reason: 'tooFewApprovers', approvals: needed } : null;
}

/**
 * What a submitted expense may take: the line's free money, or for a grant disbursement what is still
 * committed to the grant on this line and not paid out; and who is paid (a disbursement pays the grantee).
 */
function fundsFor(
  book: ExpenseBook,
  command: Extract<ExpenseCommand, { type: 'SubmitExpense' }>,
): { payeeOrganizationId: string | null } | DomainError {
  const { lineId, amount, grant, payeeOrganizationId } = command;
  const line = book.lines[lineId] as BudgetBook['lines'][string];
  if (grant === null) {
    if (amount > available(line))
      return domainError('INSUFFICIENT_FUNDS', { lineId, available: available(line) });
    return { payeeOrganizationId };
  }
  const { applicationId } = grant;
  const commitment: GrantCommitment | undefined = Object.hasOwn(book.grantCommitments, applicationId)
    ? book.grantCommitments[applicationId]
    : undefined;
  if (!commitment || commitment.lineId !== lineId || commitment.grantCallId !== grant.grantCallId) {
    return domainError('GRANT_NOT_COMMITTED', { applicationId, lineId });
  }
  const grantee = commitment.recipientOrganizationId;
  if ((payeeOrganizationId !== null && payeeOrganizationId !== grantee) || command.payeeName !== null) {
    return domainError('DISBURSEMENT_NOT_TO_GRANTEE', { applicationId });
  }
  const outstanding = commitment.committed - commitment.disbursed;
  if (amount > outstanding)
    return domainError('DISBURSEMENT_EXCEEDS_COMMITMENT', { applicationId, outstanding });
  return { payeeOrganizationId: grantee };
}

/** The expense a command acts on, still waiting for approvals, or why not. */
function pending(book: ExpenseBook, expenseId: string): Expense | DomainError {
  const expense = Object.hasOwn(book.expenses, expenseId) ? book.expenses[expenseId] : undefined;
  if (!expense) return domainError('EXPENSE_NOT_FOUND', { expenseId });
  if (expense.status !== 'submitted')
    return domainError('EXPENSE_NOT_PENDING', { expenseId, status: expense.status });
  return expense;
}

/** A representative of the approving group acting on an expense their organization is not recused from. */
function checkApprover(
  expense: Expense,
  organizationId: string,
  stewardGroup: WorkingGroupFacts | null,
): DomainError | null {
  const notSteward = checkSteward(organizationId, expense.approverGroupId, stewardGroup);
  if (notSteward) return notSteward;
  if (recusedFromExpense(organizationId, expense)) {
    return domainError('EXPENSE_RECUSED', { expenseId: expense.expenseId });
  }
  return null;
}

/**
 * Decides an expense command on a budget. Money leaves a line only when the last approval needed is
 * given, and only if the line still has it then: of two expenses racing for the last money, the second
 * approval to arrive is refused.
 */
export function decideExpense(command: ExpenseCommand, book: ExpenseBook): BudgetEvent[] | DomainError {
  const { actor, now: at, budgetId, expenseId } = command;
  const organizationId = actor.organizationId as string;
  const acted = { budgetId, expenseId, organizationId, personId: actor.personId, at };
  switch (command.type) {
    case 'SubmitExpense': {
      const { lineId, amount } = command;
      const line = Object.hasOwn(book.lines, lineId) ? book.lines[lineId] : undefined;
      if (!line) return domainError('BUDGET_LINE_NOT_FOUND', { lineId });
      if (Object.hasOwn(book.expenses, expenseId)) return domainError('EXPENSE_EXISTS', { expenseId });
      const group = command.context.stewardGroup;
      if (line.stewardGroupId !== null && group?.groupId !== line.stewardGroupId) {
        return domainError('CONTEXT_MISMATCH', { stewardGroupId: line.stewardGroupId });
      }
      const funds = fundsFor(book, command);
      if (isDomainError(funds)) return funds;
      const { payeeOrganizationId } = funds;
      const needsProposal = proposalNeeded(book, command, line.stewardGroupId, payeeOrganizationId);
      if (needsProposal) return domainError('EXPENSE_NEEDS_PROPOSAL', { lineId, ...needsProposal });
      const { description, payeeName, spentOn, receipts, grant } = command;
      const approverGroup = group as WorkingGroupFacts;
      return [
        {
          type: 'ExpenseSubmitted',
          data: {
            ...acted,
            lineId,
            amount,
            description,
            payeeOrganizationId,
            payeeName,
            spentOn,
            receipts,
            grant,
            approverGroupId: approverGroup.groupId,
            approvalsNeeded: approvalsNeeded(approverGroup.mandate.expenses, amount, book.currency) as number,
          },
        },
      ];
    }
    case 'ApproveExpense': {
      const expense = pending(book, expenseId);
      if (isDomainError(expense)) return expense;
      const refused = checkApprover(expense, organizationId, command.context.stewardGroup);
      if (refused) return refused;
      if (expense.approvals.includes(organizationId)) {
        return domainError('EXPENSE_ALREADY_APPROVED', { expenseId, organizationId });
      }
      const approved: BudgetEvent = { type: 'ExpenseApproved', data: acted };
      if (expense.approvals.length + 1 < expense.approvalsNeeded) return [approved];
      const { lineId, amount, grant } = expense;
      const spent = applyBudgetChange(book, spendOf(expense));
      if (isDomainError(spent)) return spent;
      return [approved, { type: 'ExpenseSpent', data: { budgetId, expenseId, lineId, amount, grant, at } }];
    }
    case 'RejectExpense': {
      const expense = pending(book, expenseId);
      if (isDomainError(expense)) return expense;
      const refused = checkApprover(expense, organizationId, command.context.stewardGroup);
      if (refused) return refused;
      return [{ type: 'ExpenseRejected', data: { ...acted, reason: command.reason } }];
    }
    case 'WithdrawExpense': {
      const expense = pending(book, expenseId);
      if (isDomainError(expense)) return expense;
      if (expense.submittedBy !== organizationId) return domainError('NOT_YOUR_ORGANIZATION');
      return [{ type: 'ExpenseWithdrawn', data: { ...acted, reason: command.reason } }];
    }
    case 'MarkExpensePaid': {
      const expense = Object.hasOwn(book.expenses, expenseId) ? book.expenses[expenseId] : undefined;
      if (!expense) return domainError('EXPENSE_NOT_FOUND', { expenseId });
      if (expense.status !== 'spent')
        return domainError('EXPENSE_NOT_APPROVED', { expenseId, status: expense.status });
      const notSteward = checkSteward(organizationId, expense.approverGroupId, command.context.stewardGroup);
      if (notSteward) return notSteward;
      const { lineId, amount } = expense;
      return [{ type: 'ExpensePaid', data: { ...acted, reference: command.reference, lineId, amount } }];
    }
  }
}

/**
 * The change an approved expense makes to its line: the same arithmetic as a decided spend, or as a
 * decided disbursement for a grant's.
 */
function spendOf({ lineId, amount, grant, payeeOrganizationId }: Expense): BudgetChange {
  if (grant) return { op: 'disburseGrant', lineId, amount, ...grant };
  return { op: 'spend', lineId, amount, description: '', payeeOrganizationId };
}

type ExpenseEvent = Extract<
  BudgetEvent,
  {
    type:
      | 'ExpenseSubmitted'
      | 'ExpenseApproved'
      | 'ExpenseSpent'
      | 'ExpenseRejected'
      | 'ExpenseWithdrawn'
      | 'ExpensePaid';
  }
>;

const statusAfter = {
  ExpenseRejected: 'rejected',
  ExpenseWithdrawn: 'withdrawn',
  ExpensePaid: 'paid',
} as const;

/** The book after an expense event. */
export function evolveExpense<Book extends ExpenseBook>(book: Book, event: ExpenseEvent): Book {
  const { expenseId } = event.data;
  const withExpense = (expense: Expense): Book => ({
    ...book,
    expenses: { ...book.expenses, [expenseId]: expense },
  });
  if (event.type === 'ExpenseSubmitted') {
    const { lineId, amount, organizationId, payeeOrganizationId, approverGroupId, approvalsNeeded, grant } =
      event.data;
    return withExpense({
      expenseId,
      lineId,
      amount,
      submittedBy: organizationId,
      payeeOrganizationId,
      grant,
      approverGroupId,
      approvalsNeeded,
      approvals: [],
      status: 'submitted',
    });
  }
  const expense = book.expenses[expenseId];
  if (!expense) return book;
  switch (event.type) {
    case 'ExpenseApproved':
      return withExpense({ ...expense, approvals: [...expense.approvals, event.data.organizationId] });
    case 'ExpenseSpent': {
      // Checked when decided; replay applies it through the same arithmetic.
      const applied = applyBudgetChange(book, spendOf(expense));
      if (isDomainError(applied)) return book;
      return {
        ...book,
        ...applied,
        expenses: { ...book.expenses, [expenseId]: { ...expense, status: 'spent' } },
      };
    }
    default:
      return withExpense({ ...expense, status: statusAfter[event.type] });
  }
}

/** Whether an event is one of an expense's. */
export function isExpenseEvent(event: BudgetEvent): event is ExpenseEvent {
  return event.type.startsWith('Expense');
}
