import fc from 'fast-check';
import {
  type Actor,
  type DecisionRules,
  type DomainCommand,
  grantApplicationFacts,
  type ProposalPayload,
  type Stance,
} from '../../src/index.ts';
import { budgetOpening, grantsGroupCreation } from './coalition.ts';
import { at, auditor, facilitator, mandate, rep } from './fixtures.ts';
import { applyAndReview, decideAfter, found, join, propose, publishGrantCall, stances } from './story.ts';
import { World } from './world.ts';

// ---------------------------------------------------------------------------------------------------------
// A coalition set up through the decision process, then driven by random valid and invalid commands.

const organizations = ['o1', 'o2', 'o3', 'o4', 'o5'] as const;
const org = fc.constantFrom(...organizations);
const person: fc.Arbitrary<Actor> = fc.oneof(
  { weight: 8, arbitrary: org.map((organizationId) => rep(organizationId)) },
  { weight: 1, arbitrary: fc.constant(facilitator) },
  { weight: 1, arbitrary: fc.constant(auditor) },
);
const proposalId = fc.constantFrom('p1', 'p2', 'p3', 'p4', 'p5', 'p6');
const lineId = fc.constantFrom('grants', 'translation', 'core', 'extra');
const applicationId = fc.constantFrom('a1', 'a2', 'a3');

const payloadIntent = fc.oneof(
  {
    weight: 4,
    arbitrary: fc.record({
      kind: fc.constant('allocate' as const),
      lineId,
      delta: fc.integer({ min: -1_500_000, max: 1_500_000 }).filter((d) => d !== 0),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('spend' as const),
      lineId,
      amount: fc.integer({ min: 1, max: 1_200_000 }),
      payee: fc.option(org),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      kind: fc.constant('createLine' as const),
      steward: fc.option(fc.constant('grants-wg')),
      allocated: fc.integer({ min: 0, max: 1_000_000 }),
      partner: fc.option(org),
    }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      kind: fc.constant('disburse' as const),
      applicationId,
      amount: fc.integer({ min: 1, max: 600_000 }),
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      kind: fc.constant('award' as const),
      applicationId,
      amount: fc.integer({ min: 1, max: 900_000 }),
    }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('admit' as const) }) },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('depart' as const), organizationId: org }) },
  {
    weight: 1,
    arbitrary: fc.record({ kind: fc.constant('leads' as const), leads: fc.subarray([...organizations]) }),
  },
  { weight: 1, arbitrary: fc.record({ kind: fc.constant('rules' as const), fallback: fc.boolean() }) },
);
type PayloadIntent = typeof payloadIntent extends fc.Arbitrary<infer T> ? T : never;

const vote = fc.record({
  organizationId: org,
  stance: fc.constantFrom<Stance>('consent', 'consent', 'concerns', 'standAside', 'block'),
  withReason: fc.boolean(),
});

const intent = fc.oneof(
  {
    weight: 10,
    arbitrary: fc.record({
      t: fc.constant('lifecycle' as const),
      proposalId,
      actor: person,
      payload: payloadIntent,
      urgent: fc.boolean(),
      votes: fc.array(vote, { minLength: 1, maxLength: 8 }),
      hours: fc.integer({ min: 1, max: 60 }),
    }),
  },
  {
    weight: 4,
    arbitrary: fc.record({ t: fc.constant('advance' as const), hours: fc.integer({ min: 1, max: 40 }) }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant('draft' as const),
      proposalId,
      actor: person,
      payload: payloadIntent,
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('amend' as const),
      proposalId,
      byProposer: fc.boolean(),
      actor: person,
      payload: payloadIntent,
    }),
  },
  {
    weight: 3,
    arbitrary: fc.record({
      t: fc.constant('open' as const),
      proposalId,
      byProposer: fc.boolean(),
      actor: person,
      urgent: fc.boolean(),
    }),
  },
  {
    weight: 8,
    arbitrary: fc.record({
      t: fc.constant('stance' as const),
      proposalId,
      actor: person,
      stance: fc.constantFrom<Stance>('consent', 'concerns', 'standAside', 'block'),
      withReason: fc.boolean(),
    }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ t: fc.constant('comment' as const), proposalId, actor: person, n: fc.nat(3) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({
      t: fc.constant('withdraw' as const),
      proposalId,
      byProposer: fc.boolean(),
      actor: person,
    }),
  },
  { weight: 4, arbitrary: fc.record({ t: fc.constant('decide' as const), proposalId, actor: person }) },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('apply' as const),
      applicationId,
      applicant: fc.constantFrom(...organizations, 'rlo-x'),
      amount: fc.integer({ min: 1, max: 1_000_000 }),
    }),
  },
  { weight: 2, arbitrary: fc.record({ t: fc.constant('review' as const), applicationId, actor: person }) },
  {
    weight: 1,
    arbitrary: fc.record({ t: fc.constantFrom('join' as const, 'leave' as const), actor: person }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ t: fc.constant('question' as const), actor: person, lineId, answerer: person }),
  },
  {
    weight: 2,
    arbitrary: fc.record({
      t: fc.constant('forge' as const),
      actor: person,
      target: fc.constantFrom('budget', 'award', 'pay', 'admit', 'charter', 'group'),
      proposalId,
    }),
  },
);
type Intent = typeof intent extends fc.Arbitrary<infer T> ? T : never;

/** Charter rules worth exploring: both quorums, with and without urgent path and block fallback. */
export const rulesArb: fc.Arbitrary<DecisionRules> = fc.record({
  quorum: fc.constantFrom({ numerator: 1, denominator: 2 }, { numerator: 2, denominator: 3 }),
  minimumFeedbackHours: fc.constant(24),
  urgentPath: fc.option(fc.constant({ minimumFeedbackHours: 2 })),
  blockFallback: fc.option(fc.constant({ supermajority: { numerator: 3, denominator: 4 } })),
  decideWhenAllHaveSpoken: fc.boolean(),
});

function setUp(rules: DecisionRules): World {
  const world = new World(at(0));
  found(world, ['o1', 'o2', 'o3', 'o4'], rules);
  propose(
    world,
    'create-wg',
    grantsGroupCreation(
      mandate({
        perDecisionLimit: { maxAmount: { amount: 500_000, currency: 'USD' }, maxShareBasisPoints: 1000 },
      }),
      false,
    ),
  );
  stances(world, 'create-wg', ['o1', 'o2', 'o3', 'o4']);
  decideAfter(world, 'create-wg', 25);
  join(world, 'grants-wg', ['o1', 'o2'], 4);
  const line = (
    id: string,
    category: 'grants' | 'translation' | 'coreCosts',
    allocated: number,
    steward: string | null,
    partners: string[],
  ) =>
    ({
      op: 'createLine',
      lineId: id,
      name: id,
      category,
      stewardGroupId: steward,
      partnerOrganizationIds: partners,
      allocated,
    }) as const;
  propose(
    world,
    'opening',
    budgetOpening([
      line('grants', 'grants', 3_000_000, 'grants-wg', []),
      line('translation', 'translation', 1_000_000, null, ['o3']),
      line('core', 'coreCosts', 2_000_000, null, []),
    ]),
  );
  stances(world, 'opening', ['o1', 'o2', 'o4']);
  decideAfter(world, 'opening', 25);
  publishGrantCall(world, at(100_000));
  const application = (applicationId: string, applicant: string, amountRequested: number, reviewer: string) =>
    applyAndReview(
      world,
      {
        actor: applicant === 'rlo-x' ? facilitator : rep(applicant),
        applicationId,
        applicantOrganizationId: applicant,
        applicantName: applicant,
        amountRequested,
        summary: 'S',
      },
      reviewer,
      'A',
    );
  application('a1', 'rlo-x', 800_000, 'o2');
  application('a2', 'o3', 600_000, 'o1');
  return world;
}

function payloadFor(world: World, wanted: PayloadIntent): ProposalPayload {
  const budget = { kind: 'budgetChange', budgetId: 'b1', opening: null } as const;
  switch (wanted.kind) {
    case 'allocate':
      return { ...budget, changes: [{ op: 'allocate', lineId: wanted.lineId, delta: wanted.delta }] };
    case 'spend':
      return {
        ...budget,
        changes: [
          {
            op: 'spend',
            lineId: wanted.lineId,
            amount: wanted.amount,
            description: 'x',
            payeeOrganizationId: wanted.payee,
          },
        ],
      };
    case 'createLine':
      return {
        ...budget,
        changes: [
          {
            op: 'createLine',
            lineId: 'extra',
            name: 'Extra',
            category: 'other',
            stewardGroupId: wanted.steward,
            partnerOrganizationIds: wanted.partner ? [wanted.partner] : [],
            allocated: wanted.allocated,
          },
        ],
      };
    case 'disburse':
      return {
        ...budget,
        changes: [
          {
            op: 'disburseGrant',
            lineId: 'grants',
            grantCallId: 'call-1',
            applicationId: wanted.applicationId,
            amount: wanted.amount,
          },
        ],
      };
    case 'award': {
      const facts = grantApplicationFacts(world.grantCall('call-1'), wanted.applicationId);
      return {
        kind: 'grantAward',
        grantCallId: 'call-1',
        applicationId: wanted.applicationId,
        applicantOrganizationId: facts?.applicantOrganizationId ?? 'rlo-x',
        budgetId: 'b1',
        lineId: 'grants',
        amount: wanted.amount,
      };
    }
    case 'admit':
      return {
        kind: 'membershipChange',
        change: { action: 'admit', organizationId: 'o5', name: 'Org Five', firstRepresentativeId: null },
      };
    case 'depart':
      return {
        kind: 'membershipChange',
        change: { action: 'depart', organizationId: wanted.organizationId, reason: 'x' },
      };
    case 'leads':
      return {
        kind: 'workingGroup',
        change: { action: 'setLeads', groupId: 'grants-wg', leadOrganizationIds: wanted.leads },
      };
    case 'rules': {
      const charter = world.charter();
      const rules = charter.status === 'founded' ? charter.rules : (undefined as never);
      return {
        kind: 'charterChange',
        rules: {
          ...rules,
          blockFallback: wanted.fallback ? { supermajority: { numerator: 2, denominator: 3 } } : null,
        },
        sharedValues: null,
        adoptSops: [],
        retireSopIds: [],
      };
    }
  }
}

/** The step's actor, or the proposer of its proposal when the step is the proposer's (and it exists). */
function actorOf(world: World, step: { proposalId: string; actor: Actor; byProposer: boolean }): Actor {
  if (!step.byProposer) return step.actor;
  const proposal = world.proposal(step.proposalId);
  if (proposal.status === 'none') return step.actor;
  const { personId, organizationId } = proposal.proposer;
  return organizationId ? { role: 'representative', personId, organizationId } : { ...facilitator, personId };
}

function commandFor(world: World, step: Intent): DomainCommand | null {
  const now = world.now;
  const execution = (id: string) => ({ proposalId: id, decisionEventId: `forged-${id}` });
  switch (step.t) {
    case 'lifecycle':
      return null;
    case 'advance':
      world.advance(step.hours);
      return null;
    case 'draft':
      return {
        type: 'DraftProposal',
        actor: step.actor,
        now,
        proposalId: step.proposalId,
        title: 'T',
        body: 'B',
        payload: payloadFor(world, step.payload),
      };
    case 'amend':
      return {
        type: 'AmendProposal',
        actor: actorOf(world, step),
        now,
        proposalId: step.proposalId,
        title: 'T2',
        body: 'B2',
        payload: payloadFor(world, step.payload),
        context: null,
      };
    case 'open':
      return {
        type: 'OpenProposal',
        actor: actorOf(world, step),
        now,
        proposalId: step.proposalId,
        urgentReason: step.urgent ? 'Urgent' : null,
        context: null as never,
      };
    case 'stance':
      return {
        type: 'TakeStance',
        actor: step.actor,
        now,
        proposalId: step.proposalId,
        stance: step.stance,
        reason: step.withReason ? 'Because' : null,
      };
    case 'comment':
      return {
        type: 'CommentOnProposal',
        actor: step.actor,
        now,
        proposalId: step.proposalId,
        commentId: `c${step.n}`,
        text: 'Hm',
      };
    case 'withdraw':
      return {
        type: 'WithdrawProposal',
        actor: actorOf(world, step),
        now,
        proposalId: step.proposalId,
        reason: 'Later',
      };
    case 'decide':
      return { type: 'DecideProposal', actor: step.actor, now, proposalId: step.proposalId };
    case 'apply': {
      const actor = step.applicant === 'rlo-x' ? facilitator : rep(step.applicant);
      return {
        type: 'SubmitGrantApplication',
        actor,
        now,
        grantCallId: 'call-1',
        applicationId: step.applicationId,
        applicantOrganizationId: step.applicant,
        applicantName: step.applicant,
        amountRequested: step.amount,
        summary: 'S',
        context: null as never,
      };
    }
    case 'review':
      return {
        type: 'ReviewGrantApplication',
        actor: step.actor,
        now,
        grantCallId: 'call-1',
        applicationId: step.applicationId,
        recommendation: 'fund',
        assessment: 'A',
        context: null as never,
      };
    case 'join':
      return { type: 'JoinWorkingGroup', actor: step.actor, now, groupId: 'grants-wg', hoursPerMonth: 2 };
    case 'leave':
      return { type: 'LeaveWorkingGroup', actor: step.actor, now, groupId: 'grants-wg' };
    case 'question': {
      const questionId = `q${world.log.length}`;
      world.execute({
        type: 'RaiseBudgetQuestion',
        actor: step.actor,
        now,
        budgetId: 'b1',
        questionId,
        lineId: step.lineId,
        text: 'Why?',
      });
      return {
        type: 'AnswerBudgetQuestion',
        actor: step.answerer,
        now,
        budgetId: 'b1',
        questionId,
        answer: 'Because',
        context: null as never,
      };
    }
    case 'forge': {
      // People trying to move money or change the coalition without a decision.
      const forged = execution(step.proposalId);
      switch (step.target) {
        case 'budget':
          return {
            type: 'ExecuteBudgetChange',
            actor: step.actor,
            now,
            budgetId: 'b1',
            opening: null,
            changes: [{ op: 'allocate', lineId: 'grants', delta: 1_000 }],
            execution: forged,
          };
        case 'award':
          return {
            type: 'AwardGrant',
            actor: step.actor,
            now,
            grantCallId: 'call-1',
            applicationId: 'a1',
            amount: 1,
            execution: forged,
          };
        case 'pay':
          return {
            type: 'RecordGrantDisbursements',
            actor: step.actor,
            now,
            grantCallId: 'call-1',
            payments: [{ applicationId: 'a1', amount: 1 }],
            execution: forged,
          };
        case 'admit':
          return {
            type: 'AdmitMember',
            actor: step.actor,
            now,
            organizationId: 'o5',
            name: 'Five',
            basis: { type: 'decision', execution: forged },
          };
        case 'charter':
          return {
            type: 'AmendCharter',
            actor: step.actor,
            now,
            rules: null,
            sharedValues: ['Forged'],
            adoptSops: [],
            retireSopIds: [],
            execution: forged,
          };
        default:
          return {
            type: 'DissolveWorkingGroup',
            actor: step.actor,
            now,
            groupId: 'grants-wg',
            execution: forged,
          };
      }
    }
  }
}

/** A proposal taken through its whole life in one go; each step may still be refused. */
function lifecycle(world: World, step: Extract<Intent, { t: 'lifecycle' }>): DomainCommand[] {
  const { proposalId: id, actor } = step;
  const commands: DomainCommand[] = [
    {
      type: 'DraftProposal',
      actor,
      now: world.now,
      proposalId: id,
      title: 'T',
      body: 'B',
      payload: payloadFor(world, step.payload),
    },
    {
      type: 'OpenProposal',
      actor,
      now: world.now,
      proposalId: id,
      urgentReason: step.urgent ? 'Urgent' : null,
      context: null as never,
    },
    ...step.votes.map(
      (cast): DomainCommand => ({
        type: 'TakeStance',
        actor: rep(cast.organizationId),
        now: world.now,
        proposalId: id,
        stance: cast.stance,
        reason: cast.withReason || cast.stance !== 'consent' ? 'Because' : null,
      }),
    ),
  ];
  return commands;
}

/** Sets a coalition up through the decision process, then runs `steps` against it, as the API would. */
export function run(rules: DecisionRules, steps: Intent[]): World {
  const world = setUp(rules);
  for (const step of steps) {
    if (step.t === 'lifecycle') {
      for (const command of lifecycle(world, step)) world.execute(world.withContext(command));
      world.advance(step.hours);
      world.execute({
        type: 'DecideProposal',
        actor: facilitator,
        now: world.now,
        proposalId: step.proposalId,
      });
      continue;
    }
    const command = commandFor(world, step);
    if (command) world.execute(world.withContext(command));
  }
  return world;
}

/** A random coalition history: charter rules and 20 to 90 steps of valid and invalid commands. */
export const scenario = fc.tuple(rulesArb, fc.array(intent, { minLength: 20, maxLength: 90 }));
