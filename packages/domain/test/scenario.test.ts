import { describe, expect, it } from 'vitest';
import { type DomainEvent, executionCommandsFor, isDomainError } from '../src/index.ts';
import { budgetChange, grantAward, spendOnInterpreters } from './support/coalition.ts';
import { at, facilitator, rep } from './support/fixtures.ts';
import { reviewedApplication, story } from './support/grant-round.ts';
import { applyAndReview, decideAfter, must, propose, publishGrantCall, stances } from './support/story.ts';

const types = (events: DomainEvent[]) => events.map((event) => event.type);

describe('a coalition from its founding to a paid grant', () => {
  it('admits the founding members, creates the group by decision and opens the budget by decision', () => {
    const world = story();
    expect(world.memberIds().sort()).toEqual(['o1', 'o2', 'o3', 'o4']);
    expect(world.workingGroup('grants-wg')).toMatchObject({ status: 'active', members: { o1: {}, o2: {} } });
    expect(world.budget('b1')).toMatchObject({
      status: 'open',
      currency: 'USD',
      lines: { grants: { allocated: 10_000_000 } },
    });
    expect(world.proposal('opening').status).toBe('executed');
    expect(world.refusals).toEqual([]);
  });

  it('runs a grant round: call, application, review, an award routed to the group, a payment', () => {
    const world = reviewedApplication();
    const award = grantAward(400_000);
    const [opened] = propose(world, 'award-1', award);
    expect(opened).toMatchObject({
      data: {
        routing: { decidingBody: { type: 'workingGroup', groupId: 'grants-wg' } },
        memberIds: ['o1', 'o2'],
      },
    });
    stances(world, 'award-1', ['o1', 'o2']);
    expect(types(decideAfter(world, 'award-1', 169))).toEqual([
      'ProposalDecided',
      'GrantFundsCommitted',
      'GrantAwarded',
      'ProposalExecuted',
    ]);
    propose(
      world,
      'pay-1',
      budgetChange([
        {
          op: 'disburseGrant',
          lineId: 'grants',
          grantCallId: 'call-1',
          applicationId: 'app-1',
          amount: 400_000,
        },
      ]),
    );
    stances(world, 'pay-1', ['o1', 'o2']);
    expect(types(decideAfter(world, 'pay-1', 169))).toEqual([
      'ProposalDecided',
      'GrantFundsDisbursed',
      'GrantDisbursed',
      'ProposalExecuted',
    ]);
    expect(world.budget('b1')).toMatchObject({
      lines: { grants: { allocated: 10_000_000, committed: 0, spent: 400_000 } },
    });
    expect(world.grantCall('call-1')).toMatchObject({
      applications: { 'app-1': { awarded: 400_000, disbursed: 400_000 } },
    });
  });

  it('recuses a member applicant from its own award', () => {
    const world = story();
    publishGrantCall(world, at(2000));
    applyAndReview(
      world,
      {
        actor: rep('o2'),
        applicationId: 'app-2',
        applicantOrganizationId: 'o2',
        applicantName: 'Org Two',
        amountRequested: 300_000,
        summary: 'Our programme',
      },
      'o1',
      'Good',
    );
    const [opened] = propose(world, 'award-2', {
      kind: 'grantAward',
      grantCallId: 'call-1',
      applicationId: 'app-2',
      applicantOrganizationId: 'o2',
      budgetId: 'b1',
      lineId: 'grants',
      amount: 300_000,
    });
    expect(opened).toMatchObject({
      data: { recusals: [{ organizationId: 'o2', reason: 'grantRecipient' }] },
    });
    const stance = world.execute({
      type: 'TakeStance',
      actor: rep('o2'),
      now: world.now,
      proposalId: 'award-2',
      stance: 'consent',
      reason: null,
    });
    expect(isDomainError(stance) && stance.code).toBe('RECUSED');
    stances(world, 'award-2', ['o1']);
    expect(types(decideAfter(world, 'award-2', 169))[0]).toBe('ProposalDecided');
    expect(world.proposal('award-2').status).toBe('executed');
  });

  it('sends a change beyond the mandate to the full coalition', () => {
    const world = story();
    const [opened] = propose(
      world,
      'big',
      budgetChange([{ op: 'allocate', lineId: 'grants', delta: 2_000_000 }]),
    );
    expect(opened).toMatchObject({
      data: { routing: { decidingBody: { type: 'coalition' }, reason: 'exceedsAmountLimit' } },
    });
  });

  it('executes a decision once, however often the process step runs', () => {
    const world = story();
    const decided = world.log.find(
      (stored) => stored.event.type === 'ProposalDecided' && stored.event.data.proposalId === 'opening',
    );
    if (decided?.event.type !== 'ProposalDecided') throw new Error('no decision');
    const budgetBefore = world.budget('b1');
    const rerun = executionCommandsFor({ ...decided.event, id: decided.id }, world.now).map((command) =>
      world.execute(command),
    );
    expect(rerun.map((result) => isDomainError(result) && result.code)).toEqual([
      'DECISION_ALREADY_EXECUTED',
      'DECISION_ALREADY_EXECUTED',
    ]);
    expect(world.budget('b1')).toBe(budgetBefore);
  });

  it('records an adopted decision that can no longer be executed, and moves no money', () => {
    const world = story();
    const spend = (proposalId: string) => propose(world, proposalId, spendOnInterpreters(300_000));
    spend('first');
    spend('second');
    stances(world, 'first', ['o1', 'o2', 'o4']);
    stances(world, 'second', ['o1', 'o2', 'o4']);
    world.advance(169);
    must(world, { type: 'DecideProposal', actor: rep('o4'), now: world.now, proposalId: 'first' });
    const appended = must(world, {
      type: 'DecideProposal',
      actor: rep('o4'),
      now: world.now,
      proposalId: 'second',
    });
    expect(appended[0]).toMatchObject({ type: 'ProposalDecided', data: { outcome: 'adopted' } });
    expect(world.proposal('second').status).toBe('executionFailed');
    expect(world.budget('b1')).toMatchObject({ lines: { translation: { spent: 300_000 } } });
  });

  it('never lets a person move money directly', () => {
    const world = story();
    for (const actor of [facilitator, rep('o1')]) {
      const result = world.execute({
        type: 'ExecuteBudgetChange',
        actor,
        now: world.now,
        budgetId: 'b1',
        opening: null,
        changes: [{ op: 'allocate', lineId: 'grants', delta: 1 }],
        execution: { proposalId: 'opening', decisionEventId: 'forged' },
      });
      expect(isDomainError(result) && result.code).toBe('DECISION_EXECUTION_ONLY');
    }
  });
});
