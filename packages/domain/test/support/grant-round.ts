import { at, facilitator, mandate, rep, rules } from './fixtures.ts';
import { decideAfter, found, must, propose, stances } from './story.ts';
import { World } from './world.ts';

/** From the founding to a paid grant, every step through the decision process. */
export function story(): World {
  const world = new World(at(0));
  found(world, ['o1', 'o2', 'o3', 'o4'], rules);
  propose(world, 'create-grants-wg', {
    kind: 'workingGroup',
    change: {
      action: 'create',
      groupId: 'grants-wg',
      name: 'Grants',
      purpose: 'Grant rounds',
      mandate: mandate(),
      takeOverLines: false,
    },
  });
  stances(world, 'create-grants-wg', ['o1', 'o2', 'o3']);
  decideAfter(world, 'create-grants-wg', 169);
  for (const organizationId of ['o1', 'o2']) {
    must(world, {
      type: 'JoinWorkingGroup',
      actor: rep(organizationId),
      now: world.now,
      groupId: 'grants-wg',
      hoursPerMonth: 6,
    });
  }
  propose(world, 'opening', {
    kind: 'budgetChange',
    budgetId: 'b1',
    opening: { name: '2025', fiscalPeriod: { start: '2025-01-01', end: '2025-12-31' }, currency: 'USD' },
    changes: [
      {
        op: 'createLine',
        lineId: 'grants',
        name: 'Grants',
        category: 'grants',
        stewardGroupId: 'grants-wg',
        partnerOrganizationIds: [],
        allocated: 10_000_000,
      },
      {
        op: 'createLine',
        lineId: 'translation',
        name: 'Translation',
        category: 'translation',
        stewardGroupId: null,
        partnerOrganizationIds: ['o3'],
        allocated: 500_000,
      },
    ],
  });
  stances(world, 'opening', ['o1', 'o2', 'o4']); // o3 is a partner of the translation line: recused
  decideAfter(world, 'opening', 169);
  return world;
}

/** The story, then a grant round up to an adopted award of 400,000 to `rlo-9` on the grants line. */
export function awardedGrant(): World {
  const world = story();
  must(world, {
    type: 'PublishGrantCall',
    actor: rep('o1'),
    now: world.now,
    grantCallId: 'call-1',
    title: 'Round 1',
    description: 'Small grants',
    criteria: ['Refugee-led'],
    budgetId: 'b1',
    lineId: 'grants',
    deadline: at(2000),
    context: null as never,
  });
  must(world, {
    type: 'SubmitGrantApplication',
    actor: facilitator,
    now: world.now,
    grantCallId: 'call-1',
    applicationId: 'app-1',
    applicantOrganizationId: 'rlo-9',
    applicantName: 'RLO Nine',
    amountRequested: 500_000,
    summary: 'Legal aid',
    context: null as never,
  });
  must(world, {
    type: 'ReviewGrantApplication',
    actor: rep('o2'),
    now: world.now,
    grantCallId: 'call-1',
    applicationId: 'app-1',
    recommendation: 'fund',
    assessment: 'Good',
    context: null as never,
  });
  propose(world, 'award-1', {
    kind: 'grantAward',
    grantCallId: 'call-1',
    applicationId: 'app-1',
    applicantOrganizationId: 'rlo-9',
    budgetId: 'b1',
    lineId: 'grants',
    amount: 400_000,
  });
  stances(world, 'award-1', ['o1', 'o2']);
  decideAfter(world, 'award-1', 169);
  return world;
}
