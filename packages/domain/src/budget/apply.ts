import { type DomainError, domainError, isDomainError } from '../errors.ts';
import type { BudgetChange } from './changes.ts';
import { available, type BudgetLine, type GrantCommitment } from './line.ts';

/** A budget's lines and grant commitments: everything a change can touch. */
export interface BudgetBook {
  readonly lines: Readonly<Record<string, BudgetLine>>;
  readonly grantCommitments: Readonly<Record<string, GrantCommitment>>;
}

function withLine(book: BudgetBook, line: BudgetLine): BudgetBook {
  return { ...book, lines: { ...book.lines, [line.lineId]: line } };
}

/**
 * Applies one change, or says why it cannot be applied. The single place where line amounts move:
 * the budget decider checks a whole decision with it, `evolve` replays events through it, and a proposal
 * previews its effect with it when it opens.
 */
export function applyBudgetChange(book: BudgetBook, change: BudgetChange): BudgetBook | DomainError {
  if (change.op === 'createLine') {
    if (change.lineId in book.lines) return domainError('BUDGET_LINE_EXISTS', { lineId: change.lineId });
    const { op: _op, ...line } = change;
    return withLine(book, { ...line, committed: 0, spent: 0 });
  }
  const line = book.lines[change.lineId];
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
      return withLine(book, { ...line, allocated });
    }
    case 'spend':
      if (change.amount > available(line)) {
        return domainError('INSUFFICIENT_FUNDS', { lineId: line.lineId, available: available(line) });
      }
      return withLine(book, { ...line, spent: line.spent + change.amount });
    case 'commitGrant': {
      if (change.applicationId in book.grantCommitments) {
        return domainError('GRANT_ALREADY_COMMITTED', { applicationId: change.applicationId });
      }
      if (change.amount > available(line)) {
        return domainError('INSUFFICIENT_FUNDS', { lineId: line.lineId, available: available(line) });
      }
      const { op: _op, amount, ...grant } = change;
      return {
        lines: { ...book.lines, [line.lineId]: { ...line, committed: line.committed + amount } },
        grantCommitments: {
          ...book.grantCommitments,
          [grant.applicationId]: { ...grant, committed: amount, disbursed: 0 },
        },
      };
    }
    case 'disburseGrant': {
      const grant = book.grantCommitments[change.applicationId];
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
      return {
        lines: {
          ...book.lines,
          [line.lineId]: {
            ...line,
            committed: line.committed - change.amount,
            spent: line.spent + change.amount,
          },
        },
        grantCommitments: {
          ...book.grantCommitments,
          [grant.applicationId]: { ...grant, disbursed: grant.disbursed + change.amount },
        },
      };
    }
  }
}

/** Applies a whole decision's changes in order: all of them, or none with the first reason. */
export function applyBudgetChanges(
  book: BudgetBook,
  changes: readonly BudgetChange[],
): BudgetBook | DomainError {
  let current = book;
  for (const change of changes) {
    const next = applyBudgetChange(current, change);
    if (isDomainError(next)) return next;
    current = next;
  }
  return current;
}
