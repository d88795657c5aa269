import { describe, expect, it } from 'vitest';
import { type ProposalPayload, recusalsFor } from '../src/index.ts';
import { budget, budgetChange, interpretersExpense, smallGrantsIncrease } from './support/coalition.ts';

describe('recusalsFor', () => {
  it('recuses the applicant of a grant award', () => {
    const award: ProposalPayload = {
      kind: 'grantAward',
      grantCallId: 'call-1',
      applicationId: 'app-1',
      applicantOrganizationId: 'o2',
      budgetId: 'b1',
      lineId: 'grants',
      amount: 1,
    };
    expect(recusalsFor(award, { budget })).toEqual([{ organizationId: 'o2', reason: 'grantRecipient' }]);
  });
  it("recuses the partners of every line a change touches, and an expense's payee", () => {
    expect(recusalsFor(interpretersExpense, { budget })).toEqual([
      { organizationId: 'o3', reason: 'linePartner' },
    ]);
    const paid = budgetChange([
      { op: 'spend', lineId: 'translation', amount: 1, description: 'x', payeeOrganizationId: 'o4' },
    ]);
    expect(recusalsFor(paid, { budget })).toEqual([
      { organizationId: 'o4', reason: 'payee' },
      { organizationId: 'o3', reason: 'linePartner' },
    ]);
  });
  it('recuses the partners named on a new line', () => {
    const create = budgetChange([
      {
        op: 'createLine',
        lineId: 'rent',
        name: 'Office',
        category: 'coreCosts',
        stewardGroupId: null,
        partnerOrganizationIds: ['o1'],
        allocated: 1,
      },
    ]);
    expect(recusalsFor(create, { budget })).toEqual([{ organizationId: 'o1', reason: 'linePartner' }]);
  });
  it('recuses the recipient of a grant payment, found in the budget commitments', () => {
    const withCommitment = {
      ...budget,
      grantCommitments: {
        'app-1': {
          grantCallId: 'call-1',
          applicationId: 'app-1',
          lineId: 'grants',
          recipientOrganizationId: 'o4',
          committed: 5,
          disbursed: 0,
        },
      },
    };
    const pay = budgetChange([
      { op: 'disburseGrant', lineId: 'grants', grantCallId: 'call-1', applicationId: 'app-1', amount: 5 },
    ]);
    expect(recusalsFor(pay, { budget: withCommitment })).toEqual([
      { organizationId: 'o4', reason: 'grantRecipient' },
    ]);
  });
  it('recuses nobody when no money goes to a member', () => {
    expect(recusalsFor(smallGrantsIncrease, { budget })).toEqual([]);
    expect(
      recusalsFor({ kind: 'workingGroup', change: { action: 'dissolve', groupId: 'g' } }, { budget }),
    ).toEqual([]);
  });
});
