import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  type BudgetCommand,
  type BudgetEvent,
  type BudgetState,
  budgetDecider,
  type ExpensePolicy,
  fold,
  isDomainError,
  type WorkingGroupFacts,
} from '../src/index.ts';
import * as coalition from './support/coalition.ts';
import { at, exec, mandate, rep } from './support/fixtures.ts';
import { specification } from './support/spec.ts';

const spec = specification(budgetDecider);
const budgetId = 'b1';

/** One approval up to USD 1,000; two up to USD 10,000; above that, a proposal. */
const policy: ExpensePolicy = {
  currency: 'USD',
  tiers: [
    { upTo: 100_000, approvals: 1 },
    { upTo: 1_000_000, approvals: 2 },
  ],
};
const stewards: WorkingGroupFacts = {
  groupId: 'grants-wg',
  status: 'active',
  memberIds: ['o1', 'o2', 'o3'],
  mandate: mandate({ expenses: policy }),
};

/** A budget of USD 100,000 on the grants line (the group's) and USD 5,000 on translation (the coalition's). */
const opened = coalition.openedBudget([coalition.grantsLine, coalition.translationLine]);

/** What the test's expense is, as submitted and as recorded. */
const printing = {
  lineId: 'grants',
  description: 'Printing the call for applications',
  payeeOrganizationId: null,
  payeeName: 'Print Shop Kampala',
  spentOn: '2025-01-05',
  receipts: [{ sha256: 'a'.repeat(64), mediaType: 'image/jpeg', size: 120_000, restricted: true }],
  grant: null,
};

function submit(
  expenseId: string,
  amount: number,
  overrides: Partial<Extract<BudgetCommand, { type: 'SubmitExpense' }>> = {},
): BudgetCommand {
  return {
    type: 'SubmitExpense',
    actor: rep('o4'),
    now: at(1),
    budgetId,
    expenseId,
    amount,
    ...printing,
    context: { stewardGroup: stewards },
    ...overrides,
  };
}

function submitted(expenseId: string, amount: number, approvalsNeeded: number, by = 'o4'): BudgetEvent {
  return {
    type: 'ExpenseSubmitted',
    data: {
      budgetId,
      expenseId,
      organizationId: by,
      personId: `${by}-person`,
      amount,
      ...printing,
      approverGroupId: 'grants-wg',
      approvalsNeeded,
      at: at(1),
    },
  };
}

const approve = (
  expenseId: string,
  organizationId: string,
  hours = 2,
  stewardGroup = stewards,
): BudgetCommand => ({
  type: 'ApproveExpense',
  actor: rep(organizationId),
  now: at(hours),
  budgetId,
  expenseId,
  context: { stewardGroup },
});

const approved = (expenseId: string, organizationId: string, hours = 2): BudgetEvent => ({
  type: 'ExpenseApproved',
  data: { budgetId, expenseId, organizationId, personId: `${organizationId}-person`, at: at(hours) },
});

const spent = (expenseId: string, amount: number, hours = 2): BudgetEvent => ({
  type: 'ExpenseSpent',
  data: { budgetId, expenseId, lineId: 'grants', amount, grant: null, at: at(hours) },
});

const grantsLineOf = (events: readonly BudgetEvent[]) => {
  const state = fold(budgetDecider, events);
  return state.status === 'open' ? state.lines.grants : undefined;
};

describe('SubmitExpense', () => {
  it('records an expense any member submits, with the approvals the group’s policy asks for its amount', () => {
    spec
      .given(opened)
      .when(submit('e1', 100_000))
      .then([submitted('e1', 100_000, 1)]);
    spec
      .given(opened)
      .when(submit('e2', 100_001))
      .then([submitted('e2', 100_001, 2)]);
  });

  it('sends to a proposal what the group cannot approve: a coalition line, no policy, above the last tier, too few organizations left', () => {
    const withoutPolicy = { ...stewards, mandate: mandate() };
    const inEuros = { ...stewards, mandate: mandate({ expenses: { ...policy, currency: 'EUR' } }) };
    const dissolved = { ...stewards, status: 'dissolved' as const };
    const needsProposal: [BudgetCommand, Record<string, unknown>][] = [
      [
        submit('e1', 10_000, { lineId: 'translation', context: { stewardGroup: null } }),
        { reason: 'coalitionLine' },
      ],
      [submit('e1', 10_000, { context: { stewardGroup: withoutPolicy } }), { reason: 'noPolicy' }],
      [submit('e1', 1_000_001), { reason: 'aboveBound' }],
      [submit('e1', 10_000, { context: { stewardGroup: inEuros } }), { reason: 'otherCurrency' }],
      // o1 submits an expense paying o2: only o3 may approve, and this one needs two.
      [
        submit('e1', 500_000, { actor: rep('o1'), payeeOrganizationId: 'o2', payeeName: null }),
        { reason: 'tooFewApprovers', approvals: 2 },
      ],
      [submit('e1', 10_000, { context: { stewardGroup: dissolved } }), { reason: 'groupDissolved' }],
    ];
    for (const [submission, details] of needsProposal) {
      spec.given(opened).when(submission).thenRejects('EXPENSE_NEEDS_PROPOSAL', details);
    }
  });

  it('refuses more than the line has free, an unknown line, a repeated id and another group’s facts', () => {
    const small = {
      ...stewards,
      mandate: mandate({ expenses: { currency: 'USD', tiers: [{ upTo: 50_000_000, approvals: 1 }] } }),
    };
    spec
      .given(opened)
      .when(submit('e1', 10_000_001, { context: { stewardGroup: small } }))
      .thenRejects('INSUFFICIENT_FUNDS', { lineId: 'grants', available: 10_000_000 });
    spec
      .given(opened)
      .when(submit('e1', 1_000, { lineId: 'nowhere' }))
      .thenRejects('BUDGET_LINE_NOT_FOUND');
    spec
      .given([...opened, submitted('e1', 1_000, 1)])
      .when(submit('e1', 1_000))
      .thenRejects('EXPENSE_EXISTS');
    spec
      .given(opened)
      .when(submit('e1', 1_000, { context: { stewardGroup: { ...stewards, groupId: 'other-wg' } } }))
      .thenRejects('CONTEXT_MISMATCH');
    spec
      .given(opened)
      .when(
        submit('e1', 1_000, {
          receipts: [{ sha256: 'not-a-hash', mediaType: 'image/jpeg', size: 1, restricted: false }],
        }),
      )
      .thenRejects('INVALID_COMMAND');
  });
});

describe('ApproveExpense', () => {
  it('spends the money at the last approval it needs, from different organizations', () => {
    spec
      .given([...opened, submitted('e1', 100_000, 1)])
      .when(approve('e1', 'o1'))
      .then([approved('e1', 'o1'), spent('e1', 100_000)]);
    const once = [...opened, submitted('e1', 500_000, 2)];
    spec
      .given(once)
      .when(approve('e1', 'o1'))
      .then([approved('e1', 'o1')]);
    const twice = [...once, approved('e1', 'o1')];
    spec
      .given(twice)
      .when(approve('e1', 'o1', 3))
      .thenRejects('EXPENSE_ALREADY_APPROVED');
    const events = spec
      .given(twice)
      .when(approve('e1', 'o2', 3))
      .then([approved('e1', 'o2', 3), spent('e1', 500_000, 3)]);
    expect(grantsLineOf([...twice, ...events])?.spent).toBe(500_000);
    expect(grantsLineOf(twice)?.spent).toBe(0);
  });

  it('never lets the submitter, the payee or an organization outside the group approve or reject', () => {
    const byO1PayingO2 = [
      ...opened,
      {
        ...submitted('e1', 1_000, 1, 'o1'),
        data: { ...submitted('e1', 1_000, 1, 'o1').data, payeeOrganizationId: 'o2' },
      },
    ] as BudgetEvent[];
    spec.given(byO1PayingO2).when(approve('e1', 'o1')).thenRejects('EXPENSE_RECUSED');
    spec.given(byO1PayingO2).when(approve('e1', 'o2')).thenRejects('EXPENSE_RECUSED');
    spec.given(byO1PayingO2).when(approve('e1', 'o4')).thenRejects('NOT_A_STEWARD');
    spec
      .given(byO1PayingO2)
      .when({
        type: 'RejectExpense',
        actor: rep('o2'),
        now: at(2),
        budgetId,
        expenseId: 'e1',
        reason: 'No',
        context: { stewardGroup: stewards },
      })
      .thenRejects('EXPENSE_RECUSED');
    spec
      .given(byO1PayingO2)
      .when(approve('e1', 'o3'))
      .then([approved('e1', 'o3'), spent('e1', 1_000)]);
  });

  it('lets only one of two expenses racing for the last money through', () => {
    const wide = {
      ...stewards,
      mandate: mandate({ expenses: { currency: 'USD', tiers: [{ upTo: 10_000_000, approvals: 1 }] } }),
    };
    const both = [...opened, submitted('e1', 6_000_000, 1), submitted('e2', 6_000_000, 1)];
    const first = spec
      .given(both)
      .when(approve('e1', 'o1', 2, wide))
      .then([approved('e1', 'o1'), spent('e1', 6_000_000)]);
    spec
      .given([...both, ...first])
      .when(approve('e2', 'o2', 3, wide))
      .thenRejects('INSUFFICIENT_FUNDS', { lineId: 'grants', available: 4_000_000 });
  });

  it('refuses an unknown expense', () => {
    spec.given(opened).when(approve('nope', 'o1')).thenRejects('EXPENSE_NOT_FOUND');
  });
});

describe('RejectExpense, WithdrawExpense, MarkExpensePaid', () => {
  const waiting = [...opened, submitted('e1', 500_000, 2)];

  it('ends an expense rejected with a reason, or withdrawn by its organization; neither can then be approved', () => {
    const rejected = spec
      .given(waiting)
      .when({
        type: 'RejectExpense',
        actor: rep('o3'),
        now: at(2),
        budgetId,
        expenseId: 'e1',
        reason: 'No receipt for the second half',
        context: { stewardGroup: stewards },
      })
      .then([
        {
          type: 'ExpenseRejected',
          data: {
            budgetId,
            expenseId: 'e1',
            organizationId: 'o3',
            personId: 'o3-person',
            reason: 'No receipt for the second half',
            at: at(2),
          },
        },
      ]);
    spec
      .given([...waiting, ...rejected])
      .when(approve('e1', 'o1', 3))
      .thenRejects('EXPENSE_NOT_PENDING', { status: 'rejected' });
    const withdraw = {
      type: 'WithdrawExpense',
      actor: rep('o4'),
      now: at(2),
      budgetId,
      expenseId: 'e1',
      reason: null,
    } as const;
    spec
      .given(waiting)
      .when({ ...withdraw, actor: rep('o1') })
      .thenRejects('NOT_YOUR_ORGANIZATION');
    const withdrawn = spec
      .given(waiting)
      .when(withdraw)
      .then([
        {
          type: 'ExpenseWithdrawn',
          data: {
            budgetId,
            expenseId: 'e1',
            organizationId: 'o4',
            personId: 'o4-person',
            reason: null,
            at: at(2),
          },
        },
      ]);
    spec
      .given([...waiting, ...withdrawn])
      .when(withdraw)
      .thenRejects('EXPENSE_NOT_PENDING', { status: 'withdrawn' });
  });

  it('records a payment of an approved expense, by the group', () => {
    const pay = (organizationId: string): BudgetCommand => ({
      type: 'MarkExpensePaid',
      actor: rep(organizationId),
      now: at(5),
      budgetId,
      expenseId: 'e1',
      reference: 'Transfer 2025-0142',
      context: { stewardGroup: stewards },
    });
    spec.given(waiting).when(pay('o1')).thenRejects('EXPENSE_NOT_APPROVED', { status: 'submitted' });
    const done = [...waiting, approved('e1', 'o1'), approved('e1', 'o2', 3), spent('e1', 500_000, 3)];
    spec.given(done).when(pay('o4')).thenRejects('NOT_A_STEWARD');
    const paid = spec
      .given(done)
      .when(pay('o3'))
      .then([
        {
          type: 'ExpensePaid',
          data: {
            budgetId,
            expenseId: 'e1',
            organizationId: 'o3',
            personId: 'o3-person',
            reference: 'Transfer 2025-0142',
            lineId: 'grants',
            amount: 500_000,
            at: at(5),
          },
        },
      ]);
    spec
      .given([...done, ...paid])
      .when(pay('o3'))
      .thenRejects('EXPENSE_NOT_APPROVED', { status: 'paid' });
    // Paying moves no money: it was spent when approved.
    expect(grantsLineOf([...done, ...paid])?.spent).toBe(500_000);
  });
});

/** USD 30,000 committed on the grants line to o5's application to call c1. */
const grant = { grantCallId: 'c1', applicationId: 'app-o5' };
const committed: BudgetEvent[] = [
  ...opened,
  {
    type: 'GrantFundsCommitted',
    data: {
      budgetId,
      lineId: 'grants',
      ...grant,
      recipientOrganizationId: 'o5',
      amount: 3_000_000,
      execution: exec('award'),
      decidedByGroupId: 'grants-wg',
      at: at(0),
    },
  },
];
const tranche = { description: 'First tranche', payeeOrganizationId: null, payeeName: null, grant };

describe('grant disbursements as expenses', () => {
  it('pays the grantee from the money committed to the grant, approved by the group like any expense', () => {
    const submittedTranche: BudgetEvent = {
      ...submitted('d1', 600_000, 2),
      data: { ...(submitted('d1', 600_000, 2).data as object), ...tranche, payeeOrganizationId: 'o5' },
    } as BudgetEvent;
    spec
      .given(committed)
      .when(submit('d1', 600_000, tranche))
      .then([submittedTranche]);
    spec
      .given([...committed, submittedTranche, approved('d1', 'o1')])
      .when(approve('d1', 'o2', 3))
      .then([
        approved('d1', 'o2', 3),
        {
          type: 'ExpenseSpent',
          data: { budgetId, expenseId: 'd1', lineId: 'grants', amount: 600_000, grant, at: at(3) },
        },
      ]);
    const after = fold(budgetDecider, [
      ...committed,
      submittedTranche,
      approved('d1', 'o1'),
      approved('d1', 'o2', 3),
      {
        type: 'ExpenseSpent',
        data: { budgetId, expenseId: 'd1', lineId: 'grants', amount: 600_000, grant, at: at(3) },
      },
    ]);
    if (after.status !== 'open') throw new Error('the budget closed');
    // Committed money became spent money; the line's free money did not move.
    expect(after.lines.grants).toMatchObject({ allocated: 10_000_000, committed: 2_400_000, spent: 600_000 });
    expect(after.grantCommitments['app-o5']).toMatchObject({ committed: 3_000_000, disbursed: 600_000 });
  });

  it('refuses more than is still committed, a grant not committed on the line, and any payee but the grantee', () => {
    spec
      .given(committed)
      .when(submit('d1', 3_000_001, tranche))
      .thenRejects('DISBURSEMENT_EXCEEDS_COMMITMENT', { applicationId: 'app-o5', outstanding: 3_000_000 });
    spec
      .given(committed)
      .when(submit('d1', 1_000, { ...tranche, grant: { grantCallId: 'c1', applicationId: 'app-o6' } }))
      .thenRejects('GRANT_NOT_COMMITTED', { applicationId: 'app-o6', lineId: 'grants' });
    spec
      .given(committed)
      .when(submit('d1', 1_000, { ...tranche, grant: { grantCallId: 'c2', applicationId: 'app-o5' } }))
      .thenRejects('GRANT_NOT_COMMITTED', { applicationId: 'app-o5', lineId: 'grants' });
    spec
      .given(committed)
      .when(submit('d1', 1_000, { ...tranche, payeeOrganizationId: 'o2' }))
      .thenRejects('DISBURSEMENT_NOT_TO_GRANTEE', { applicationId: 'app-o5' });
    spec
      .given(committed)
      .when(submit('d1', 1_000, { ...tranche, payeeName: 'Someone Else Ltd' }))
      .thenRejects('DISBURSEMENT_NOT_TO_GRANTEE', { applicationId: 'app-o5' });
  });

  it('lets only one of two disbursements racing for the last committed money through, and the grantee never approves', () => {
    const events = [
      ...committed,
      {
        ...submitted('d1', 2_000_000, 2),
        data: { ...(submitted('d1', 2_000_000, 2).data as object), ...tranche, payeeOrganizationId: 'o5' },
      },
      {
        ...submitted('d2', 2_000_000, 2),
        data: { ...(submitted('d2', 2_000_000, 2).data as object), ...tranche, payeeOrganizationId: 'o5' },
      },
      approved('d1', 'o1'),
      approved('d2', 'o1'),
      approved('d1', 'o2', 3),
      {
        type: 'ExpenseSpent',
        data: { budgetId, expenseId: 'd1', lineId: 'grants', amount: 2_000_000, grant, at: at(3) },
      },
    ] as BudgetEvent[];
    spec
      .given(events)
      .when(approve('d2', 'o2', 4))
      .thenRejects('DISBURSEMENT_EXCEEDS_COMMITMENT', { applicationId: 'app-o5', outstanding: 1_000_000 });
    const withGrantee = { ...stewards, memberIds: ['o1', 'o2', 'o5'] };
    spec
      .given(events.slice(0, committed.length + 1))
      .when(approve('d1', 'o5', 3, withGrantee))
      .thenRejects('EXPENSE_RECUSED', { expenseId: 'd1' });
  });
});

describe('expenses never overspend a line', () => {
  const anyPolicy: ExpensePolicy = {
    currency: 'USD',
    tiers: [
      { upTo: 2_000_000, approvals: 1 },
      { upTo: 6_000_000, approvals: 2 },
    ],
  };
  const group = {
    ...stewards,
    memberIds: ['o1', 'o2', 'o3', 'o4'],
    mandate: mandate({ expenses: anyPolicy }),
  };
  const organization = fc.constantFrom('o1', 'o2', 'o3', 'o4', 'o5');
  const expenseId = fc.constantFrom('e1', 'e2', 'e3', 'e4', 'e5', 'e6');
  const step = fc.oneof(
    fc.record({
      kind: fc.constant('submit' as const),
      expenseId,
      organization,
      amount: fc.integer({ min: 1, max: 6_000_000 }),
      payee: fc.option(organization),
      disburses: fc.boolean(),
    }),
    fc.record({ kind: fc.constant('approve' as const), expenseId, organization }),
    fc.record({ kind: fc.constant('reject' as const), expenseId, organization }),
    fc.record({ kind: fc.constant('withdraw' as const), expenseId, organization }),
    fc.record({ kind: fc.constant('lower' as const), amount: fc.integer({ min: 1, max: 4_000_000 }) }),
  );

  it('keeps committed + spent within the allocation, spent equal to the expenses spent and disbursements within the commitment, whatever the order', () => {
    fc.assert(
      fc.property(fc.array(step, { maxLength: 60 }), (steps) => {
        let state: BudgetState = fold(budgetDecider, committed);
        const context = { stewardGroup: group };
        for (const [index, s] of steps.entries()) {
          const base = {
            actor: rep(s.kind === 'lower' ? 'o1' : s.organization),
            now: at(index + 1),
            budgetId,
          };
          const command: BudgetCommand =
            s.kind === 'submit'
              ? ({
                  ...(submit(
                    s.expenseId,
                    s.amount,
                    s.disburses ? { ...tranche, context } : { payeeOrganizationId: s.payee, context },
                  ) as object),
                  ...base,
                } as BudgetCommand)
              : s.kind === 'approve'
                ? { ...base, type: 'ApproveExpense', expenseId: s.expenseId, context }
                : s.kind === 'reject'
                  ? { ...base, type: 'RejectExpense', expenseId: s.expenseId, reason: 'No', context }
                  : s.kind === 'withdraw'
                    ? { ...base, type: 'WithdrawExpense', expenseId: s.expenseId, reason: null }
                    : ({
                        type: 'ExecuteBudgetChange',
                        actor: rep('o1'),
                        now: at(index + 1),
                        budgetId,
                        opening: null,
                        changes: [{ op: 'allocate', lineId: 'grants', delta: -s.amount }],
                        execution: exec(`lower-${index}`),
                      } as unknown as BudgetCommand);
          const decided = budgetDecider.decide(
            s.kind === 'lower'
              ? ({
                  ...command,
                  actor: { role: 'system', personId: 'system:test', organizationId: null },
                } as BudgetCommand)
              : command,
            state,
          );
          if (isDomainError(decided)) continue;
          state = fold(budgetDecider, decided, state);
        }
        if (state.status !== 'open') throw new Error('the budget closed');
        const line = state.lines.grants;
        if (!line) throw new Error('the line went away');
        expect(line.committed + line.spent).toBeLessThanOrEqual(line.allocated);
        const expensesSpent = Object.values(state.expenses)
          .filter((expense) => expense.status === 'spent' || expense.status === 'paid')
          .reduce((total, expense) => total + expense.amount, 0);
        expect(line.spent).toBe(expensesSpent);
        const disbursed = Object.values(state.expenses)
          .filter((expense) => expense.grant && (expense.status === 'spent' || expense.status === 'paid'))
          .reduce((total, expense) => total + expense.amount, 0);
        expect(state.grantCommitments['app-o5']).toMatchObject({ committed: 3_000_000, disbursed });
        expect(disbursed).toBeLessThanOrEqual(3_000_000);
        expect(line.committed).toBe(3_000_000 - disbursed);
        for (const expense of Object.values(state.expenses)) {
          expect(expense.approvals).not.toContain(expense.submittedBy);
          if (expense.payeeOrganizationId)
            expect(expense.approvals).not.toContain(expense.payeeOrganizationId);
          expect(new Set(expense.approvals).size).toBe(expense.approvals.length);
        }
      }),
      { numRuns: 300 },
    );
  });
});
