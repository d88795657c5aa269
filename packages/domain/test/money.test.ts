import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  applyBudgetChanges,
  available,
  type BudgetBook,
  type BudgetChange,
  checkAdmissible,
  type DecisionContext,
  isDomainError,
  MONEY_CEILING,
} from '../src/index.ts';
import { context } from './support/coalition.ts';

// Amounts anywhere from one cent to the largest integer a double holds exactly, and beyond the ceiling.
const amount = fc.oneof(
  fc.integer({ min: 1, max: 1_000_000 }),
  fc.integer({ min: 1, max: Number.MAX_SAFE_INTEGER }),
  fc.constantFrom(MONEY_CEILING, MONEY_CEILING - 1, MONEY_CEILING + 1, Number.MAX_SAFE_INTEGER),
);
const lineIds = ['a', 'b', 'c'] as const;
const change: fc.Arbitrary<BudgetChange> = fc.oneof(
  fc.record({
    op: fc.constant('createLine' as const),
    lineId: fc.constantFrom(...lineIds),
    name: fc.constant('Line'),
    category: fc.constant('grants' as const),
    stewardGroupId: fc.constant(null),
    partnerOrganizationIds: fc.constant([] as string[]),
    allocated: fc.oneof(fc.constant(0), amount),
  }),
  fc.record({
    op: fc.constant('allocate' as const),
    lineId: fc.constantFrom(...lineIds),
    delta: fc.oneof(
      amount,
      amount.map((value) => -value),
    ),
  }),
  fc.record({
    op: fc.constant('spend' as const),
    lineId: fc.constantFrom(...lineIds),
    amount,
    description: fc.constant('Expense'),
    payeeOrganizationId: fc.constant(null),
  }),
  fc.record({
    op: fc.constant('commitGrant' as const),
    lineId: fc.constantFrom(...lineIds),
    grantCallId: fc.constant('call'),
    applicationId: fc.constantFrom('app-1', 'app-2'),
    recipientOrganizationId: fc.constant('o9'),
    amount,
  }),
  fc.record({
    op: fc.constant('disburseGrant' as const),
    lineId: fc.constantFrom(...lineIds),
    grantCallId: fc.constant('call'),
    applicationId: fc.constantFrom('app-1', 'app-2'),
    amount,
  }),
);

function assertExact(book: BudgetBook): void {
  let total = 0;
  for (const line of Object.values(book.lines)) {
    for (const value of [line.allocated, line.committed, line.spent]) {
      expect(Number.isSafeInteger(value)).toBe(true);
      expect(value).toBeGreaterThanOrEqual(0);
      expect(value).toBeLessThanOrEqual(MONEY_CEILING);
    }
    expect(line.committed + line.spent).toBeLessThanOrEqual(line.allocated);
    total += line.allocated;
  }
  expect(total).toBeLessThanOrEqual(MONEY_CEILING);
  expect(Number.isSafeInteger(total)).toBe(true);
}

describe('money stays exact whatever is decided', () => {
  it('no sequence of accepted decisions leaves a budget where a valid change fails for arithmetic reasons', () => {
    fc.assert(
      fc.property(
        fc.array(fc.array(change, { minLength: 1, maxLength: 4 }), { maxLength: 40 }),
        (decisions) => {
          let book: BudgetBook = { lines: {}, grantCommitments: {} };
          for (const decision of decisions) {
            const applied = applyBudgetChanges(book, decision);
            if (isDomainError(applied)) {
              // A refusal changes nothing and says why in the catalogue's words.
              expect(applied.message.length).toBeGreaterThan(0);
              continue;
            }
            book = applied;
            assertExact(book);
            // From here, small valid changes always succeed: one more cent on a line while the budget is
            // below the ceiling, one cent less on a line with a free cent, a cent spent from one.
            const facts: DecisionContext = {
              ...context,
              budget: { budgetId: 'b1', currency: 'USD', ...book, groupMoves: {} },
            };
            const total = Object.values(book.lines).reduce((sum, line) => sum + line.allocated, 0);
            for (const line of Object.values(book.lines)) {
              const valid: BudgetChange[] = [];
              if (total < MONEY_CEILING) valid.push({ op: 'allocate', lineId: line.lineId, delta: 1 });
              if (available(line) >= 1) {
                valid.push({ op: 'allocate', lineId: line.lineId, delta: -1 });
                valid.push({
                  op: 'spend',
                  lineId: line.lineId,
                  amount: 1,
                  description: 'A cent',
                  payeeOrganizationId: null,
                });
              }
              for (const small of valid) {
                expect(isDomainError(applyBudgetChanges(book, [small])), JSON.stringify(small)).toBe(false);
                // And a proposal carrying it opens (the check members' proposals go through).
                const payload = {
                  kind: 'budgetChange',
                  budgetId: 'b1',
                  opening: null,
                  changes: [small],
                } as const;
                expect(checkAdmissible(payload as never, facts)).toBeNull();
              }
            }
          }
        },
      ),
      { numRuns: 300 },
    );
  });
});
