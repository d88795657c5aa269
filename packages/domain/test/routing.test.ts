import { describe, expect, it } from 'vitest';
import {
  type BudgetEffect,
  decidingBodyMembers,
  type Mandate,
  type ProposalPayload,
  routeBudgetChange,
  routeProposal,
} from '../src/index.ts';
import {
  budget,
  context,
  grantAward,
  grantsGroup,
  sharedValuesChange,
  smallGrantsIncrease,
} from './support/coalition.ts';
import { mandate } from './support/fixtures.ts';

const effect = (changes: BudgetEffect['changes'], opening: BudgetEffect['opening'] = null): BudgetEffect => ({
  budgetId: 'b1',
  opening,
  changes,
});
const facts = { budget, workingGroups: [grantsGroup] };
/** The same facts, but for the Grants group's limit on one decision. */
const factsWithLimit = (perDecisionLimit: Mandate['perDecisionLimit']) => ({
  budget,
  workingGroups: [{ ...grantsGroup, mandate: mandate({ perDecisionLimit }) }],
});
const allocate = (delta: number, lineId = 'grants') => ({ op: 'allocate', lineId, delta }) as const;

describe('routeBudgetChange', () => {
  it('goes to the stewarding group when every change is within its mandate', () => {
    expect(routeBudgetChange(effect([allocate(500_000)]), facts)).toEqual({
      decidingBody: { type: 'workingGroup', groupId: 'grants-wg' },
      reason: 'withinMandate',
      lineId: null,
    });
    expect(routeBudgetChange(effect([allocate(-500_000)]), facts).reason).toBe('withinMandate');
  });
  it('goes to the full coalition above the share limit (5% of the line)', () => {
    expect(routeBudgetChange(effect([allocate(500_001)]), facts)).toEqual({
      decidingBody: { type: 'coalition' },
      reason: 'exceedsShareLimit',
      lineId: 'grants',
    });
  });
  it('goes to the full coalition above the amount limit', () => {
    const tight = factsWithLimit({
      maxAmount: { amount: 100_000, currency: 'USD' },
      maxShareBasisPoints: null,
    });
    expect(routeBudgetChange(effect([allocate(100_001)]), tight).reason).toBe('exceedsAmountLimit');
    expect(routeBudgetChange(effect([allocate(100_000)]), tight).reason).toBe('withinMandate');
  });
  it('adds up every change on a line within one decision, so a change cannot be split to fit', () => {
    expect(routeBudgetChange(effect([allocate(300_000), allocate(-300_000)]), facts).reason).toBe(
      'exceedsShareLimit',
    );
  });
  it('counts spending and grant payments as moving money on the line', () => {
    const spend = {
      op: 'spend',
      lineId: 'grants',
      amount: 600_000,
      description: 'x',
      payeeOrganizationId: null,
    } as const;
    expect(routeBudgetChange(effect([spend]), facts).reason).toBe('exceedsShareLimit');
  });
  it('sends a limit in another currency to the full coalition', () => {
    const euros = factsWithLimit({ maxAmount: { amount: 100, currency: 'EUR' }, maxShareBasisPoints: null });
    expect(routeBudgetChange(effect([allocate(1)]), euros).reason).toBe('currencyMismatch');
  });
  it('applies no limit that the mandate leaves unset', () => {
    const open = factsWithLimit({ maxAmount: null, maxShareBasisPoints: null });
    expect(routeBudgetChange(effect([allocate(9_000_000)]), open).reason).toBe('withinMandate');
  });
  it('sends an opening budget and a new line to the full coalition', () => {
    const opening = { name: 'x', fiscalPeriod: { start: '2025-01-01', end: '2025-12-31' }, currency: 'USD' };
    expect(routeBudgetChange(effect([], opening), facts).reason).toBe('opensBudget');
    const create: BudgetEffect['changes'][number] = {
      op: 'createLine',
      lineId: 'travel',
      name: 'Travel',
      category: 'travel',
      stewardGroupId: 'grants-wg',
      partnerOrganizationIds: [],
      allocated: 1,
    };
    expect(routeBudgetChange(effect([allocate(1), create]), facts)).toMatchObject({
      reason: 'createsLine',
      lineId: 'travel',
    });
  });
  it('sends a line the coalition stewards itself to the full coalition', () => {
    expect(routeBudgetChange(effect([allocate(1, 'translation')]), facts)).toMatchObject({
      reason: 'stewardedByCoalition',
      lineId: 'translation',
    });
  });
  it('sends changes across two stewards to the full coalition', () => {
    const travel = { ...budget.lines.grants!, lineId: 'travel', stewardGroupId: 'ops-wg' };
    const twoStewards = { ...budget, lines: { ...budget.lines, travel } };
    expect(
      routeBudgetChange(effect([allocate(1), allocate(1, 'travel')]), {
        budget: twoStewards,
        workingGroups: [grantsGroup],
      }).reason,
    ).toBe('severalStewards');
  });
  it('sends a line outside the mandate, or stewarded by an inactive group, to the full coalition', () => {
    const noLines = { ...grantsGroup, mandate: mandate({ budgetLines: [] }) };
    expect(routeBudgetChange(effect([allocate(1)]), { budget, workingGroups: [noLines] }).reason).toBe(
      'notInMandate',
    );
    const dissolved = { ...grantsGroup, status: 'dissolved' as const };
    expect(routeBudgetChange(effect([allocate(1)]), { budget, workingGroups: [dissolved] }).reason).toBe(
      'stewardNotActive',
    );
    expect(routeBudgetChange(effect([allocate(1)]), { budget, workingGroups: [] }).reason).toBe(
      'stewardNotActive',
    );
  });
  it('sends an unknown budget or line to the full coalition', () => {
    expect(
      routeBudgetChange(effect([allocate(1)]), { budget: null, workingGroups: [grantsGroup] }).reason,
    ).toBe('unknownLine');
    expect(routeBudgetChange(effect([allocate(1, 'nope')]), facts)).toMatchObject({
      reason: 'unknownLine',
      lineId: 'nope',
    });
    expect(routeBudgetChange(effect([]), facts).reason).toBe('unknownLine');
  });
});

describe('routeProposal', () => {
  it('routes budget changes and grant awards by their money', () => {
    expect(routeProposal(smallGrantsIncrease, context).decidingBody).toEqual({
      type: 'workingGroup',
      groupId: 'grants-wg',
    });
    const award = grantAward(600_000);
    expect(routeProposal(award, context)).toMatchObject({ reason: 'exceedsShareLimit' });
    expect(routeProposal(grantAward(400_000), context)).toMatchObject({ reason: 'withinMandate' });
  });
  it('sends charter, membership and group structure to the full coalition; leads to the group', () => {
    const charter = sharedValuesChange;
    expect(routeProposal(charter, context)).toEqual({
      decidingBody: { type: 'coalition' },
      reason: 'coalitionMatter',
      lineId: null,
    });
    const admit: ProposalPayload = {
      kind: 'membershipChange',
      change: { action: 'admit', organizationId: 'o9', name: 'Nine', firstRepresentativeId: null },
    };
    expect(routeProposal(admit, context).reason).toBe('coalitionMatter');
    const dissolve: ProposalPayload = {
      kind: 'workingGroup',
      change: { action: 'dissolve', groupId: 'grants-wg' },
    };
    expect(routeProposal(dissolve, context).reason).toBe('coalitionMatter');
    const leads: ProposalPayload = {
      kind: 'workingGroup',
      change: { action: 'setLeads', groupId: 'grants-wg', leadOrganizationIds: ['o1'] },
    };
    expect(routeProposal(leads, context)).toEqual({
      decidingBody: { type: 'workingGroup', groupId: 'grants-wg' },
      reason: 'groupMatter',
      lineId: null,
    });
  });
});

describe('decidingBodyMembers', () => {
  it('is every member organization for the coalition, once each', () => {
    expect(
      decidingBodyMembers({ type: 'coalition' }, { ...context, coalitionMemberIds: ['o1', 'o2', 'o1'] }),
    ).toEqual(['o1', 'o2']);
  });
  it("is the group's members that are still coalition members", () => {
    const group = { ...grantsGroup, memberIds: ['o1', 'o2', 'gone'] };
    expect(
      decidingBodyMembers(
        { type: 'workingGroup', groupId: 'grants-wg' },
        { ...context, workingGroups: [group] },
      ),
    ).toEqual(['o1', 'o2']);
    expect(decidingBodyMembers({ type: 'workingGroup', groupId: 'unknown' }, context)).toEqual([]);
  });
});
