import { describe, expect, test } from 'vitest';
import { actsOn } from '../src/lib/server/expense-acts.ts';

type Expense = Parameters<typeof actsOn>[0];

/** An expense of org-a paying org-p, approved by the group of org-a, org-b, org-c, org-p. */
function expense(changes: Partial<Expense> = {}): Expense {
  return {
    budgetId: 'budget-1',
    expenseId: 'expense-1',
    lineId: 'travel',
    amount: 150_000,
    description: 'Hotel rooms',
    payeeOrganizationId: 'org-p',
    payeeName: null,
    spentOn: '2026-03-05',
    receipts: [],
    grant: null,
    submittedBy: { organizationId: 'org-a', personId: 'person-a' },
    submittedAt: '2026-03-06T10:00:00.000Z',
    approverGroupId: 'wg-finance',
    approvalsNeeded: 2,
    approvals: [],
    status: 'submitted',
    reason: null,
    paymentReference: null,
    endedBy: null,
    endedAt: null,
    position: 10,
    ...changes,
  };
}
const group = ['org-a', 'org-b', 'org-c', 'org-p'];
const representativeOf = (organizationId: string) => ({ role: 'representative', organizationId });

describe('actsOn: the forms an organization gets on an expense', () => {
  test('a member of the approving group approves and rejects what waits for it', () => {
    expect(actsOn(expense(), representativeOf('org-b'), group)).toEqual({
      approve: true,
      reject: true,
      withdraw: false,
      pay: false,
    });
  });

  test('neither the submitter nor the payee judges it; the submitter withdraws it', () => {
    expect(actsOn(expense(), representativeOf('org-a'), group)).toEqual({
      approve: false,
      reject: false,
      withdraw: true,
      pay: false,
    });
    expect(actsOn(expense(), representativeOf('org-p'), group)).toMatchObject({
      approve: false,
      reject: false,
    });
  });

  test('an organization approves once; outside the group it never approves', () => {
    const approved = expense({
      approvals: [{ organizationId: 'org-b', personId: 'p', at: '2026-03-07T00:00:00Z' }],
    });
    expect(actsOn(approved, representativeOf('org-b'), group)).toMatchObject({
      approve: false,
      reject: true,
    });
    expect(actsOn(approved, representativeOf('org-c'), group)).toMatchObject({ approve: true });
    expect(actsOn(expense(), representativeOf('org-x'), group)).toMatchObject({
      approve: false,
      reject: false,
    });
  });

  test('an approved expense is recorded as paid by the group, then nothing more', () => {
    expect(actsOn(expense({ status: 'spent' }), representativeOf('org-b'), group)).toEqual({
      approve: false,
      reject: false,
      withdraw: false,
      pay: true,
    });
    for (const status of ['paid', 'rejected', 'withdrawn'] as const) {
      expect(actsOn(expense({ status }), representativeOf('org-a'), group)).toEqual({
        approve: false,
        reject: false,
        withdraw: false,
        pay: false,
      });
    }
  });

  test('facilitators, auditors and people without a role get no form', () => {
    for (const role of ['facilitator', 'auditor', 'none']) {
      expect(actsOn(expense(), { role, organizationId: 'org-b' }, group)).toEqual({
        approve: false,
        reject: false,
        withdraw: false,
        pay: false,
      });
    }
    expect(actsOn(expense(), null, group).approve).toBe(false);
  });
});
