import { describe, expect, it } from 'vitest';
import {
  activeRepresentativeIds,
  type BudgetChange,
  type CountedStance,
  computeOutcome,
  type DecisionRules,
  fold,
  type MemberEvent,
  memberDecider,
  type OutcomeInput,
  routeBudgetChange,
  type Stance,
} from '../src/index.ts';
import { budget, grantsGroup } from './support/coalition.ts';
import { at, facilitator, rules } from './support/fixtures.ts';

// The worked examples of docs/governance.md, one by one. Change both together.

const six = ['one', 'two', 'three', 'four', 'five', 'six'];
const stances = (...given: [string, Stance][]): CountedStance[] =>
  given.map(([organizationId, stance]) => ({ organizationId, stance, revision: 1 }));
const decide = (overrides: Partial<OutcomeInput>) =>
  computeOutcome({
    rules,
    memberIds: six,
    recusedIds: [],
    stances: [],
    revision: 1,
    round: 1,
    feedbackEndsAt: at(168),
    now: at(169),
    ...overrides,
  });
const withFallback: DecisionRules = {
  ...rules,
  blockFallback: { supermajority: { numerator: 3, denominator: 4 } },
};

describe('governance.md: the quorum', () => {
  it('needs 4 of 6 stances at two thirds', () => {
    const three = stances(['one', 'consent'], ['two', 'consent'], ['three', 'consent']);
    expect(decide({ stances: three })).toMatchObject({
      status: 'open',
      reason: 'quorumNotMet',
      tally: { quorumRequired: 4 },
    });
    expect(decide({ stances: [...three, ...stances(['four', 'standAside'])] })).toMatchObject({
      status: 'adopted',
    });
  });
  it('rounds up: 3 of 4', () => {
    expect(decide({ memberIds: six.slice(0, 4) }).tally.quorumRequired).toBe(3);
  });
});

describe('governance.md: a block', () => {
  const fiveAndABlock = stances(
    ['one', 'consent'],
    ['two', 'consent'],
    ['three', 'consent'],
    ['four', 'consent'],
    ['five', 'consent'],
    ['six', 'block'],
  );
  it('is not adopted without a fallback', () => {
    expect(decide({ stances: fiveAndABlock })).toMatchObject({ status: 'notAdopted', reason: 'blocked' });
  });
  it('goes to a second round with the fallback, then 5/6 supporting adopts and 4/6 does not', () => {
    expect(decide({ rules: withFallback, stances: fiveAndABlock })).toMatchObject({
      status: 'open',
      reason: 'secondRoundRequired',
    });
    expect(decide({ rules: withFallback, stances: fiveAndABlock, round: 2 })).toMatchObject({
      status: 'adopted',
      reason: 'fallbackSupermajority',
    });
    const twoBlocks = [...fiveAndABlock.slice(0, 4), ...stances(['five', 'block'], ['six', 'block'])];
    expect(decide({ rules: withFallback, stances: twoBlocks, round: 2 })).toMatchObject({
      status: 'notAdopted',
      reason: 'blocked',
    });
  });
  it('still stands after an amendment', () => {
    const amended = [
      ...fiveAndABlock.slice(0, 5).map((stance) => ({ ...stance, revision: 2 })),
      { organizationId: 'six', stance: 'block' as const, revision: 1 },
    ];
    expect(decide({ stances: amended, revision: 2 })).toMatchObject({
      status: 'notAdopted',
      tally: { block: 1, needsReview: 1 },
    });
  });
});

describe('governance.md: a stand-aside', () => {
  it('counts toward the quorum of the Grants group, not as an objection', () => {
    const group = ['one', 'two', 'three'];
    expect(
      decide({ memberIds: group, stances: stances(['one', 'consent'], ['two', 'standAside']) }),
    ).toMatchObject({
      status: 'adopted',
      reason: 'consensus',
      tally: { quorumRequired: 2, counted: 2, standAside: 1 },
    });
  });
});

describe('governance.md: a recusal', () => {
  const group = ['one', 'two', 'three'];
  it('leaves two eligible organizations, who must both take a stance', () => {
    const recused = { memberIds: group, recusedIds: ['two'] };
    expect(decide({ ...recused, stances: stances(['one', 'consent'], ['two', 'consent']) })).toMatchObject({
      status: 'open',
      reason: 'quorumNotMet',
      tally: { eligible: 2, quorumRequired: 2, counted: 1 },
    });
    expect(decide({ ...recused, stances: stances(['one', 'consent'], ['three', 'consent']) }).status).toBe(
      'adopted',
    );
  });
});

describe('governance.md: a routed budget change', () => {
  const facts = { budget, workingGroups: [grantsGroup] };
  const route = (...changes: BudgetChange[]) =>
    routeBudgetChange({ budgetId: 'b1', opening: null, changes }, facts);
  it('matches the table', () => {
    expect(budget.lines.grants?.allocated).toBe(10_000_000);
    expect(grantsGroup.mandate.perDecisionLimit).toEqual({
      maxAmount: { amount: 1_000_000, currency: 'USD' },
      maxShareBasisPoints: 500,
    });
    expect(route({ op: 'allocate', lineId: 'grants', delta: 400_000 })).toMatchObject({
      decidingBody: { type: 'workingGroup', groupId: 'grants-wg' },
      reason: 'withinMandate',
    });
    expect(route({ op: 'allocate', lineId: 'grants', delta: 600_000 })).toMatchObject({
      decidingBody: { type: 'coalition' },
      reason: 'exceedsShareLimit',
    });
    expect(
      route(
        { op: 'allocate', lineId: 'grants', delta: -300_000 },
        { op: 'allocate', lineId: 'grants', delta: 300_000 },
      ),
    ).toMatchObject({
      reason: 'exceedsShareLimit',
    });
    expect(
      route({
        op: 'commitGrant',
        lineId: 'grants',
        grantCallId: 'c',
        applicationId: 'a',
        recipientOrganizationId: 'r',
        amount: 400_000,
      }),
    ).toMatchObject({ reason: 'withinMandate' });
    expect(
      route({
        op: 'createLine',
        lineId: 'travel',
        name: 'Travel',
        category: 'travel',
        stewardGroupId: null,
        partnerOrganizationIds: [],
        allocated: 0,
      }),
    ).toMatchObject({ decidingBody: { type: 'coalition' }, reason: 'createsLine' });
    expect(
      route({
        op: 'spend',
        lineId: 'translation',
        amount: 1,
        description: 'Translators',
        payeeOrganizationId: null,
      }),
    ).toMatchObject({
      decidingBody: { type: 'coalition' },
      reason: 'stewardedByCoalition',
    });
  });
});

describe('governance.md: everyone has spoken', () => {
  const group = ['one', 'two', 'three'];
  const monday = { memberIds: group, now: at(10) };
  it('is adopted before the window once every organization spoke and none blocks', () => {
    expect(
      decide({
        ...monday,
        stances: stances(['one', 'consent'], ['two', 'concerns'], ['three', 'standAside']),
      }),
    ).toMatchObject({ status: 'adopted', reason: 'everyoneHasSpoken' });
  });
  it('waits for the window with one silent, or with a block', () => {
    expect(decide({ ...monday, stances: stances(['one', 'consent'], ['two', 'concerns']) })).toMatchObject({
      status: 'open',
      reason: 'feedbackWindowOpen',
    });
    expect(
      decide({ ...monday, stances: stances(['one', 'consent'], ['two', 'concerns'], ['three', 'block']) }),
    ).toMatchObject({ status: 'open', reason: 'feedbackWindowOpen' });
  });
});

describe('governance.md: the facilitator cannot change an organization’s vote', () => {
  const sawa = 'sawa';
  const history: MemberEvent[] = [
    {
      type: 'MemberAdmitted',
      data: {
        organizationId: sawa,
        name: 'Sawa Women',
        basis: { type: 'founding', foundingEventId: 'f' },
        at: at(0),
      },
    },
    {
      type: 'RepresentativeAppointed',
      data: {
        organizationId: sawa,
        personId: 'nour',
        basis: { type: 'founding', foundingEventId: 'f' },
        at: at(0),
      },
    },
    { type: 'RepresentativeJoined', data: { organizationId: sawa, personId: 'nour', at: at(1) } },
    {
      type: 'RepresentativeInvited',
      data: {
        organizationId: sawa,
        personId: 'karim',
        invitedBy: 'facilitator-1',
        confirmed: false,
        reason: null,
        at: at(2),
      },
    },
    { type: 'RepresentativeJoined', data: { organizationId: sawa, personId: 'karim', at: at(3) } },
  ];
  it('gives Karim no voice until Sawa Women confirms him', () => {
    expect(activeRepresentativeIds(fold(memberDecider, history))).toEqual(['nour']);
    const confirmed: MemberEvent = {
      type: 'RepresentativeConfirmed',
      data: { organizationId: sawa, personId: 'karim', confirmedBy: 'nour', reason: null, at: at(4) },
    };
    expect(activeRepresentativeIds(fold(memberDecider, [...history, confirmed]))).toEqual(['nour', 'karim']);
    expect(
      memberDecider.decide(
        {
          type: 'ConfirmRepresentative',
          actor: facilitator,
          now: at(4),
          organizationId: sawa,
          personId: 'karim',
          reason: null,
        },
        fold(memberDecider, history),
      ),
    ).toMatchObject({ code: 'FACILITATOR_NOT_ALLOWED' });
  });
});
