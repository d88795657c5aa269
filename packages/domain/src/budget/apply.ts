import { type DomainError, domainError } from '../errors.ts';
import { MONEY_CEILING } from '../shared/primitives.ts';
import type { BudgetChange } from './changes.ts';
import { available, type BudgetLine, type GrantCommitment } from './line.ts';

/** A budget's lines and grant commitments: everything a change can touch. */
export interface BudgetBook {
  readonly lines: Readonly<Record<string, BudgetLine>>;
  readonly grantCommitments: Readonly<Record<string, GrantCommitment>>;
}

/** A book being changed: copied once per decision, so a decision's cost grows with its size, not its square. */
interface Draft {
  lines: Record<string, BudgetLine>;
  grantCommitments: Record<string, GrantCommitment>;
  /** The sum of every line's allocation: no sum of the budget's amounts can pass the ceiling. */
  totalAllocated: number;
}

/**
 * Refuses an amount past the coalition-wide ceiling. Every stored amount and the budget's total allocation
 * stay at or below it, so every sum of them stays an exact integer (far below 2^53).
 */
function checkCeiling(amount: number, lineId: string): DomainError | null {
  return amount > MONEY_CEILING ? domainError('AMOUNT_TOO_LARGE', { lineId, ceiling: MONEY_CEILING }) : null;
}

function applyTo(book: Draft, change: BudgetChange): DomainError | null {
  if (change.op === 'createLine') {
    if (Object.hasOwn(book.lines, change.lineId)) {
      return domainError('BUDGET_LINE_EXISTS', { lineId: change.lineId });
    }
    const totalAllocated = book.totalAllocated + change.allocated;
    const tooLarge = checkCeiling(totalAllocated, change.lineId);
    if (tooLarge) return tooLarge;
    const { op: _op, ...line } = change;
    book.lines[change.lineId] = { ...line, committed: 0, spent: 0 };
    book.totalAllocated = totalAllocated;
    return null;
  }
  const line = Object.hasOwn(book.lines, change.lineId) ? book.lines[change.lineId] : undefined;
  if (!line) return domainError('BUDGET_LINE_NOT_FOUND', { lineId: change.lineId });
  switch (change.op) {
    case 'allocate': {
      const allocated = line.allocated + change.delta;
      if (allocated < line.committed + line.spent) {
        return domainError('ALLOCATION_BELOW_USE', {
          lineId: line.lineId,
          inUse: line.committed + line.spent,
        });
      }
      const totalAllocated = book.totalAllocated + change.delta;
      const tooLarge = checkCeiling(totalAllocated, line.lineId);
      if (tooLarge) return tooLarge;
      book.lines[line.lineId] = { ...line, allocated };
      book.totalAllocated = totalAllocated;
      return null;
    }
    case 'spend':
      if (change.amount > available(line)) {
        return domainError('INSUFFICIENT_FUNDS', { lineId: line.lineId, available: available(line) });
      }
      book.lines[line.lineId] = { ...line, spent: line.spent + change.amount };
      return null;
    case 'commitGrant': {
      if (Object.hasOwn(book.grantCommitments, change.applicationId)) {
        return domainError('GRANT_ALREADY_COMMITTED', { applicationId: change.applicationId });
      }
      if (change.amount > available(line)) {
        return domainError('INSUFFICIENT_FUNDS', { lineId: line.lineId, available: available(line) });
      }
      const { op: _op, amount, ...grant } = change;
      book.lines[line.lineId] = { ...line, committed: line.committed + amount };
      book.grantCommitments[grant.applicationId] = { ...grant, committed: amount, disbursed: 0 };
      return null;
    }
    case 'disburseGrant': {
      const grant = Object.hasOwn(book.grantCommitments, change.applicationId)
        ? book.grantCommitments[change.applicationId]
        : undefined;
      if (!grant || grant.lineId !== line.lineId || grant.grantCallId !== change.grantCallId) {
        return domainError('GRANT_NOT_COMMITTED', {
          applicationId: change.applicationId,
          lineId: line.lineId,
        });
      }
      const outstanding = grant.committed - grant.disbursed;
      if (change.amount > outstanding) {
        return domainError('DISBURSEMENT_EXCEEDS_COMMITMENT', {
          applicationId: grant.applicationId,
          outstanding,
        });
      }
      book.lines[line.lineId] = {
        ...line,
        committed: line.committed - change.amount,
        spent: line.spent + change.amount,
      };
      book.grantCommitments[grant.applicationId] = { ...grant, disbursed: grant.disbursed + change.amount };
      return null;
    }
    case 'reassignLine':
      book.lines[line.lineId] = {
        ...line,
        stewardGroupId: change.stewardGroupId,
        partnerOrganizationIds: change.partnerOrganizationIds ?? line.partnerOrganizationIds,
      };
      return null;
  }
}

/**
 * Applies a whole decision's changes in order: all of them, or none with the first reason. The single
 * place where line amounts move: the budget decider checks a decision with it, `evolve` replays events
 * through it, and a proposal checks its effect with it when it opens. Linear in the decision's size
 * (the book is copied once), and no amount or sum can pass `MONEY_CEILING`.
 */
export function applyBudgetChanges(
  book: BudgetBook,
  changes: readonly BudgetChange[],
): BudgetBook | DomainError {
  const draft: Draft = {
    lines: { ...book.lines },
    grantCommitments: { ...book.grantCommitments },
    totalAllocated: Object.values(book.lines).reduce((total, line) => total + line.allocated, 0),
  };
  for (const change of changes) {
    const refused = applyTo(draft, change);
    if (refused) return refused;
  }
  return { lines: draft.lines, grantCommitments: draft.grantCommitments };
}

/** Applies one change, or says why it cannot be applied. */
export function applyBudgetChange(book: BudgetBook, change: BudgetChange): BudgetBook | DomainError {
  return applyBudgetChanges(book, [change]);
}
