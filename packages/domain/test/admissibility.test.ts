import { describe, expect, it } from 'vitest';
import {
  checkAdmissible,
  type DecisionContext,
  type GrantApplicationFacts,
  type ProposalPayload,
} from '../src/index.ts';
import {
  grantApplication as application,
  budgetChange,
  context,
  grantAward,
  grantsGroup,
  smallGrantsIncrease,
} from './support/coalition.ts';

const codeOf = (payload: ProposalPayload, facts: DecisionContext = context) =>
  checkAdmissible(payload, facts)?.code ?? null;

describe('checkAdmissible: budget changes', () => {
  const opening = { name: '2026', fiscalPeriod: { start: '2026-01-01', end: '2026-12-31' }, currency: 'USD' };
  it('accepts a change the budget can afford', () => {
    expect(codeOf(smallGrantsIncrease)).toBeNull();
  });
  it('accepts an opening budget for a budget that does not exist yet', () => {
    expect(codeOf({ kind: 'budgetChange', budgetId: 'b2', opening, changes: [] })).toBeNull();
  });
  it('refuses to open an open budget, or to change one that is not open', () => {
    expect(codeOf({ kind: 'budgetChange', budgetId: 'b1', opening, changes: [] })).toBe(
      'BUDGET_ALREADY_OPEN',
    );
    expect(codeOf({ ...smallGrantsIncrease, budgetId: 'b2' } as ProposalPayload)).toBe('BUDGET_NOT_FOUND');
  });
  it('refuses a change that changes nothing', () => {
    expect(codeOf(budgetChange([]))).toBe('EMPTY_CHANGE');
  });
  it('refuses what the line cannot afford, with the budget arithmetic', () => {
    const overspend = budgetChange([
      { op: 'spend', lineId: 'translation', amount: 500_001, description: 'x', payeeOrganizationId: null },
    ]);
    expect(codeOf(overspend)).toBe('INSUFFICIENT_FUNDS');
  });
  it('refuses a new line stewarded by a group that does not exist or was dissolved', () => {
    const create = (stewardGroupId: string) =>
      budgetChange([
        {
          op: 'createLine',
          lineId: 'rent',
          name: 'Rent',
          category: 'coreCosts',
          stewardGroupId,
          partnerOrganizationIds: [],
          allocated: 1,
        },
      ]);
    expect(codeOf(create('grants-wg'))).toBeNull();
    expect(codeOf(create('nope'))).toBe('WORKING_GROUP_NOT_FOUND');
    expect(
      codeOf(create('grants-wg'), { ...context, workingGroups: [{ ...grantsGroup, status: 'dissolved' }] }),
    ).toBe('WORKING_GROUP_DISSOLVED');
  });
});

describe('checkAdmissible: grant awards', () => {
  const award = grantAward(1_500_000);
  const withApplication = (facts: Partial<GrantApplicationFacts> | null): DecisionContext => ({
    ...context,
    grantApplication: facts && { ...application, ...facts },
  });
  it('accepts a reviewed, unawarded application within its request', () => {
    expect(codeOf(award, withApplication({}))).toBeNull();
  });
  it('refuses an application that is not the one described', () => {
    expect(codeOf(award, withApplication(null))).toBe('APPLICATION_NOT_FOUND');
    expect(codeOf(award, withApplication({ grantCallId: 'call-2' }))).toBe('APPLICATION_NOT_FOUND');
    expect(codeOf(award, withApplication({ applicantOrganizationId: 'o1' }))).toBe('CONTEXT_MISMATCH');
  });
  it('refuses an awarded, unreviewed or over-asked application', () => {
    expect(codeOf(award, withApplication({ awarded: true }))).toBe('GRANT_ALREADY_AWARDED');
    expect(codeOf(award, withApplication({ reviewCount: 0 }))).toBe('APPLICATION_NOT_REVIEWED');
    expect(codeOf({ ...award, amount: 2_000_001 } as ProposalPayload, withApplication({}))).toBe(
      'AWARD_EXCEEDS_REQUEST',
    );
  });
  it('refuses an award the line cannot afford', () => {
    const big = { ...award, amount: 10_000_001 } as ProposalPayload;
    expect(codeOf(big, withApplication({ amountRequested: 20_000_000 }))).toBe('INSUFFICIENT_FUNDS');
  });
});

describe('checkAdmissible: charter, membership, working groups', () => {
  it('refuses an empty or unworkable charter change', () => {
    expect(
      codeOf({ kind: 'charterChange', rules: null, sharedValues: null, adoptSops: [], retireSopIds: [] }),
    ).toBe('EMPTY_CHANGE');
    const badRules = { ...context.rules, quorum: { numerator: 2, denominator: 1 } };
    expect(
      codeOf({ kind: 'charterChange', rules: badRules, sharedValues: null, adoptSops: [], retireSopIds: [] }),
    ).toBe('INVALID_DECISION_RULES');
    expect(
      codeOf({ kind: 'charterChange', rules: null, sharedValues: ['x'], adoptSops: [], retireSopIds: [] }),
    ).toBeNull();
  });
  it('admits non-members and lets members depart, not the other way round', () => {
    expect(
      codeOf({
        kind: 'membershipChange',
        change: { action: 'admit', organizationId: 'o9', name: 'Nine', firstRepresentativeId: null },
      }),
    ).toBeNull();
    expect(
      codeOf({
        kind: 'membershipChange',
        change: { action: 'admit', organizationId: 'o1', name: 'One', firstRepresentativeId: null },
      }),
    ).toBe('ALREADY_A_MEMBER');
    expect(
      codeOf({ kind: 'membershipChange', change: { action: 'depart', organizationId: 'o9', reason: 'x' } }),
    ).toBe('NOT_A_MEMBER');
  });
  it('checks the group a working-group decision is about', () => {
    const mandate = grantsGroup.mandate;
    expect(
      codeOf({
        kind: 'workingGroup',
        change: {
          action: 'create',
          groupId: 'grants-wg',
          name: 'G',
          purpose: 'p',
          mandate,
          takeOverLines: false,
        },
      }),
    ).toBe('WORKING_GROUP_EXISTS');
    expect(
      codeOf({
        kind: 'workingGroup',
        change: { action: 'create', groupId: 'new', name: 'G', purpose: 'p', mandate, takeOverLines: false },
      }),
    ).toBeNull();
    expect(codeOf({ kind: 'workingGroup', change: { action: 'dissolve', groupId: 'nope' } })).toBe(
      'WORKING_GROUP_NOT_FOUND',
    );
    expect(
      codeOf(
        {
          kind: 'workingGroup',
          change: { action: 'setMandate', groupId: 'grants-wg', mandate, takeOverLines: false },
        },
        { ...context, workingGroups: [{ ...grantsGroup, status: 'dissolved' }] },
      ),
    ).toBe('WORKING_GROUP_DISSOLVED');
    expect(
      codeOf({
        kind: 'workingGroup',
        change: { action: 'setLeads', groupId: 'grants-wg', leadOrganizationIds: ['o3'] },
      }),
    ).toBe('NOT_IN_WORKING_GROUP');
    expect(
      codeOf({
        kind: 'workingGroup',
        change: { action: 'setLeads', groupId: 'grants-wg', leadOrganizationIds: ['o2'] },
      }),
    ).toBeNull();
  });
});
