import { describe, expect, it } from 'vitest';
import {
  applyBudgetChanges,
  type BudgetEvent,
  budgetDecider,
  budgetFacts,
  checkAdmissible,
  type DecisionContext,
  type DomainCommand,
  domainCommandSchema,
  executionCommandsFor,
  fold,
  isDomainError,
  MONEY_CEILING,
  type ProposalPayload,
  recusalsFor,
  routeProposal,
  type StoredDecision,
  upcast,
} from '../src/index.ts';
import {
  budget,
  budgetChange,
  budgetOpening,
  context,
  createLine,
  grantsGroup,
  grantsGroupCreation,
  grantsLine,
  openedBudget,
  translationLine,
} from './support/coalition.ts';
import { at, exec, mandate, rules, system } from './support/fixtures.ts';
import { decidedEvent, unanimous } from './support/proposal-events.ts';
import { specification } from './support/spec.ts';
import { decideAfter, found, join, propose, stances } from './support/story.ts';
import { World } from './support/world.ts';

const reassign = (
  lineId: string,
  stewardGroupId: string | null,
  partnerOrganizationIds: string[] | null = null,
): ProposalPayload => budgetChange([{ op: 'reassignLine', lineId, stewardGroupId, partnerOrganizationIds }]);

const decided = (payload: ProposalPayload): StoredDecision => ({
  id: 'evt-7',
  ...decidedEvent('adopted', {
    proposalId: 'p7',
    reason: 'everyoneHasSpoken',
    tally: unanimous(4, 3),
    payload,
    at: at(2),
  }),
});

describe('stewardship changes by decision', () => {
  it('hands a line to another group, by a decision of the full coalition only', () => {
    const payload = reassign('translation', 'grants-wg');
    expect(checkAdmissible(payload, context)).toBeNull();
    expect(routeProposal(payload, context)).toEqual({
      decidingBody: { type: 'coalition' },
      reason: 'changesStewardship',
      lineId: 'translation',
    });
  });

  it('refuses a steward that does not exist or was dissolved, and a line that does not exist', () => {
    expect(checkAdmissible(reassign('translation', 'nobody'), context)?.code).toBe('WORKING_GROUP_NOT_FOUND');
    const dissolved: DecisionContext = {
      ...context,
      workingGroups: [{ ...grantsGroup, status: 'dissolved' }],
    };
    expect(checkAdmissible(reassign('translation', 'grants-wg'), dissolved)?.code).toBe(
      'WORKING_GROUP_DISSOLVED',
    );
    expect(checkAdmissible(reassign('rent', null), context)?.code).toBe('BUDGET_LINE_NOT_FOUND');
  });

  it('recuses the partners the line has and those it would get', () => {
    expect(recusalsFor(reassign('translation', null, ['o4']), context)).toEqual([
      { organizationId: 'o4', reason: 'linePartner' },
      { organizationId: 'o3', reason: 'linePartner' },
    ]);
  });

  it('is executed as a budget event naming the new steward and partners (kept when not given)', () => {
    const spec = specification(budgetDecider);
    const opened = openedBudget([translationLine]);
    const [command] = executionCommandsFor(decided(reassign('translation', 'grants-wg')), at(3));
    const changed: BudgetEvent = {
      type: 'BudgetLineStewardshipChanged',
      data: {
        lineId: 'translation',
        stewardGroupId: 'grants-wg',
        partnerOrganizationIds: ['o3'],
        budgetId: 'b1',
        execution: { proposalId: 'p7', decisionEventId: 'evt-7' },
        decidedByGroupId: null,
        at: at(3),
      },
    };
    spec
      .given(opened)
      .when(command as never)
      .then([changed]);
    const state = fold(budgetDecider, [...opened, changed]);
    expect(budgetFacts(state)?.lines.translation).toMatchObject({
      stewardGroupId: 'grants-wg',
      partnerOrganizationIds: ['o3'],
      allocated: translationLine.allocated,
    });
    // Created and reassigned in one decision: the event names the partners the new line was given.
    const { committed: _committed, spent: _spent, ...newLine } = translationLine;
    const fresh = budgetDecider.decide(
      {
        type: 'ExecuteBudgetChange',
        actor: system,
        now: at(1),
        budgetId: 'b2',
        opening: { name: 'b2', fiscalPeriod: { start: '2025-01-01', end: '2025-12-31' }, currency: 'USD' },
        changes: [
          { op: 'createLine', ...newLine },
          {
            op: 'reassignLine',
            lineId: 'translation',
            stewardGroupId: 'grants-wg',
            partnerOrganizationIds: null,
          },
        ],
        execution: exec('b2'),
        decidedBy: { type: 'coalition' },
        context: { decidingGroup: null },
      },
      budgetDecider.initialState(),
    );
    expect(fresh).toMatchObject([
      { type: 'BudgetOpened' },
      { type: 'BudgetLineCreated' },
      { type: 'BudgetLineStewardshipChanged', data: { partnerOrganizationIds: ['o3'] } },
    ]);
  });

  describe('a working group taking over the lines of its mandate', () => {
    const lines = [{ budgetId: 'b1', lineId: 'translation' }];
    const create: ProposalPayload = {
      kind: 'workingGroup',
      change: {
        action: 'create',
        groupId: 'language-wg',
        name: 'Languages',
        purpose: 'Interpretation and translation',
        mandate: mandate({ budgetLines: lines }),
        takeOverLines: true,
      },
    };

    it('is one decision of the full coalition: the group is created, then stewards its lines', () => {
      expect(checkAdmissible(create, context)).toBeNull();
      expect(routeProposal(create, context).decidingBody).toEqual({ type: 'coalition' });
      const commands = executionCommandsFor(decided(create), at(3));
      expect(commands.map((command) => command.type)).toEqual([
        'CreateWorkingGroup',
        'ExecuteBudgetChange',
        'RecordProposalExecution',
      ]);
      expect(commands[1]).toMatchObject({
        budgetId: 'b1',
        changes: [
          {
            op: 'reassignLine',
            lineId: 'translation',
            stewardGroupId: 'language-wg',
            partnerOrganizationIds: null,
          },
        ],
      });
      for (const command of commands) expect(domainCommandSchema.safeParse(command).success).toBe(true);
    });

    it('also works for a new mandate of an existing group', () => {
      const setMandate: ProposalPayload = {
        kind: 'workingGroup',
        change: {
          action: 'setMandate',
          groupId: 'grants-wg',
          mandate: mandate({ budgetLines: lines }),
          takeOverLines: true,
        },
      };
      expect(checkAdmissible(setMandate, context)).toBeNull();
      expect(executionCommandsFor(decided(setMandate), at(3)).map((command) => command.type)).toEqual([
        'SetWorkingGroupMandate',
        'ExecuteBudgetChange',
        'RecordProposalExecution',
      ]);
    });

    it('refuses lines that do not exist, and lines in several budgets', () => {
      const unknownLine: ProposalPayload = {
        ...create,
        change: {
          ...(create.change as object),
          mandate: mandate({ budgetLines: [{ budgetId: 'b1', lineId: 'rent' }] }),
        },
      } as ProposalPayload;
      expect(checkAdmissible(unknownLine, context)?.code).toBe('BUDGET_LINE_NOT_FOUND');
      const twoBudgets = {
        ...create,
        change: {
          ...(create.change as object),
          mandate: mandate({ budgetLines: [...lines, { budgetId: 'b2', lineId: 'x' }] }),
        },
      };
      const parsed = domainCommandSchema.safeParse({
        type: 'DraftProposal',
        actor: system,
        now: at(0),
        proposalId: 'p',
        title: 't',
        body: 'b',
        payload: twoBudgets,
      });
      expect(parsed.success).toBe(false);
    });

    it('leaves lines alone when the group does not take them over', () => {
      const plain = {
        ...create,
        change: { ...(create.change as object), takeOverLines: false },
      } as ProposalPayload;
      expect(executionCommandsFor(decided(plain), at(3)).map((command) => command.type)).toEqual([
        'CreateWorkingGroup',
        'RecordProposalExecution',
      ]);
    });
  });
});

describe('representation by coalition decision', () => {
  const appoint: ProposalPayload = {
    kind: 'membershipChange',
    change: { action: 'appointRepresentative', organizationId: 'o4', personId: 'nadia' },
  };
  it('names a representative only for a member with none of its own', () => {
    const o4Unrepresented = { ...context, representedMemberIds: ['o1', 'o2', 'o3'] };
    expect(checkAdmissible(appoint, o4Unrepresented)).toBeNull();
    expect(checkAdmissible(appoint, context)?.code).toBe('ORGANIZATION_IS_REPRESENTED');
    const notMember: ProposalPayload = {
      kind: 'membershipChange',
      change: { action: 'appointRepresentative', organizationId: 'o9', personId: 'nadia' },
    };
    expect(checkAdmissible(notMember, context)?.code).toBe('NOT_A_MEMBER');
    expect(routeProposal(appoint, context).decidingBody).toEqual({ type: 'coalition' });
  });
  it('is executed as an appointment citing the decision; an admission may name the first representative', () => {
    const commands: DomainCommand[] = executionCommandsFor(decided(appoint), at(3));
    const basis = { type: 'decision', execution: { proposalId: 'p7', decisionEventId: 'evt-7' } };
    expect(commands[0]).toMatchObject({
      type: 'AppointRepresentative',
      organizationId: 'o4',
      personId: 'nadia',
      basis,
    });
    const admit: ProposalPayload = {
      kind: 'membershipChange',
      change: { action: 'admit', organizationId: 'o9', name: 'Nine', firstRepresentativeId: 'rana' },
    };
    expect(executionCommandsFor(decided(admit), at(3)).map((command) => command.type)).toEqual([
      'AdmitMember',
      'AppointRepresentative',
      'RecordProposalExecution',
    ]);
  });
});

describe('old histories', () => {
  it('read an invitation of the first version without the name, as confirmed (the rule of its time)', () => {
    expect(
      upcast('RepresentativeInvited', 1, {
        organizationId: 'o1',
        personId: 'amal',
        name: 'Amal Haddad',
        invitedBy: 'facilitator-1',
        at: at(1),
      }),
    ).toEqual({
      type: 'RepresentativeInvited',
      data: {
        organizationId: 'o1',
        personId: 'amal',
        invitedBy: 'facilitator-1',
        confirmed: true,
        reason: null,
        at: at(1),
      },
    });
  });
  it('read rules recorded before the early decision existed as waiting for the window', () => {
    const { decideWhenAllHaveSpoken: _, ...oldRules } = context.rules;
    const event = upcast('DecisionRulesChanged', 1, { rules: oldRules, execution: exec('x'), at: at(0) });
    expect(event).toMatchObject({ data: { rules: { decideWhenAllHaveSpoken: false } } });
  });
});

describe('money stays exact', () => {
  const book = { lines: budget.lines, grantCommitments: {} };
  it(`refuses any line or budget total past ${MONEY_CEILING} minor units, before anything is recorded`, () => {
    const huge = MONEY_CEILING - 10_000_000 - 500_000 + 1;
    expect(applyBudgetChanges(book, [{ op: 'allocate', lineId: 'grants', delta: huge }])).toMatchObject({
      code: 'AMOUNT_TOO_LARGE',
    });
    expect(
      applyBudgetChanges(book, [
        {
          op: 'createLine',
          lineId: 'big',
          name: 'Big',
          category: 'other',
          stewardGroupId: null,
          partnerOrganizationIds: [],
          allocated: huge,
        },
      ]),
    ).toMatchObject({ code: 'AMOUNT_TOO_LARGE' });
    expect(
      isDomainError(applyBudgetChanges(book, [{ op: 'allocate', lineId: 'grants', delta: huge - 1 }])),
    ).toBe(false);
  });
  it('treats a line id that names a property of every object as just another id', () => {
    for (const lineId of ['constructor', 'toString', 'hasOwnProperty']) {
      expect(applyBudgetChanges(book, [{ op: 'allocate', lineId, delta: 1 }])).toMatchObject({
        code: 'BUDGET_LINE_NOT_FOUND',
      });
    }
    expect(
      domainCommandSchema.safeParse({
        type: 'DecideProposal',
        actor: system,
        now: at(0),
        proposalId: '__proto__',
      }).success,
    ).toBe(false);
  });
  it('applies a decision of a thousand changes, the most one may carry', () => {
    const changes = Array.from({ length: 1_000 }, (_, index) => ({
      op: 'createLine' as const,
      lineId: `line-${index}`,
      name: `Line ${index}`,
      category: 'other' as const,
      stewardGroupId: null,
      partnerOrganizationIds: [],
      allocated: 1,
    }));
    const applied = applyBudgetChanges({ lines: {}, grantCommitments: {} }, changes);
    expect(isDomainError(applied) ? null : Object.keys(applied.lines).length).toBe(1_000);
  });
});

describe('decided and executed through the world', () => {
  it('admits a member with its first representative, and a group takes over a line, in one decision each', () => {
    const world = new World(at(0));
    found(world, ['o1', 'o2', 'o3'], rules);
    propose(world, 'admit-o4', {
      kind: 'membershipChange',
      change: { action: 'admit', organizationId: 'o4', name: 'Four', firstRepresentativeId: 'nadia' },
    });
    stances(world, 'admit-o4', ['o1', 'o2', 'o3']);
    // Everyone spoke, nobody blocked: decided at once under the default charter.
    const executed = decideAfter(world, 'admit-o4', 0).map((event) => event.type);
    expect(executed).toEqual([
      'ProposalDecided',
      'MemberAdmitted',
      'RepresentativeAppointed',
      'ProposalExecuted',
    ]);
    expect(world.member('o4')).toMatchObject({
      representatives: { nadia: { confirmed: true, status: 'invited' } },
    });
  });
});

describe("a working group's decisions add up against its cumulative limit", () => {
  // The Grants group may move up to USD 10,000 a decision and USD 15,000 over the fiscal period.
  const cumulative = mandate({
    perDecisionLimit: { maxAmount: { amount: 1_000_000, currency: 'USD' }, maxShareBasisPoints: null },
    cumulativeLimit: { maxAmount: { amount: 1_500_000, currency: 'USD' }, maxShareBasisPoints: null },
  });
  const group = { ...grantsGroup, mandate: cumulative };
  const raise = (delta: number) => budgetChange([{ op: 'allocate', lineId: 'grants', delta }]);
  const withMoves = (moved: number): DecisionContext => ({
    ...context,
    workingGroups: [group],
    budget: { ...budget, groupMoves: moved ? { 'grants-wg': { grants: moved } } : {} },
  });

  it('routes to the group while the sum stays within the limit, to the coalition once it would pass', () => {
    expect(routeProposal(raise(800_000), withMoves(0)).reason).toBe('withinMandate');
    expect(routeProposal(raise(800_000), withMoves(800_000))).toMatchObject({
      decidingBody: { type: 'coalition' },
      reason: 'exceedsCumulativeLimit',
      lineId: 'grants',
    });
    expect(routeProposal(raise(-700_000), withMoves(800_000)).reason).toBe('withinMandate');
  });

  it('refuses at execution what no longer fits: two decisions opened side by side cannot both pass', () => {
    const world = new World(at(0));
    found(world, ['o1', 'o2', 'o3', 'o4'], rules);
    propose(
      world,
      'open-b1',
      budgetOpening([{ ...createLine(grantsLine), name: 'Grants', stewardGroupId: null }]),
    );
    stances(world, 'open-b1', ['o1', 'o2', 'o3', 'o4']);
    decideAfter(world, 'open-b1', 0);
    propose(
      world,
      'grants-wg',
      grantsGroupCreation({ ...cumulative, budgetLines: [{ budgetId: 'b1', lineId: 'grants' }] }, true),
    );
    stances(world, 'grants-wg', ['o1', 'o2', 'o3', 'o4']);
    decideAfter(world, 'grants-wg', 0);
    join(world, 'grants-wg', ['o1', 'o2'], 4);
    // Two raises of USD 8,000, each within both limits alone, opened together.
    for (const id of ['first', 'second']) {
      propose(world, id, raise(800_000));
      expect(world.proposal(id)).toMatchObject({ opened: { routing: { reason: 'withinMandate' } } });
    }
    for (const id of ['first', 'second']) stances(world, id, ['o1', 'o2']);
    expect(decideAfter(world, 'first', 0).map((event) => event.type)).toContain('ProposalExecuted');
    const second = decideAfter(world, 'second', 0);
    expect(second.map((event) => event.type)).toEqual(['ProposalDecided', 'ProposalExecutionFailed']);
    expect(second[1]).toMatchObject({ data: { failure: { code: 'OUTSIDE_MANDATE' } } });
    expect(budgetFacts(world.budget('b1'))?.groupMoves).toEqual({ 'grants-wg': { grants: 800_000 } });
    expect(budgetFacts(world.budget('b1'))?.lines.grants?.allocated).toBe(10_800_000);
  });

  it('checks the deciding group named by the facts, and counts moves only up to just past the ceiling', () => {
    const command = {
      type: 'ExecuteBudgetChange',
      actor: system,
      now: at(1),
      budgetId: 'b1',
      opening: null,
      changes: [{ op: 'allocate', lineId: 'grants', delta: 1 }],
      execution: exec('p'),
      decidedBy: { type: 'workingGroup', groupId: 'grants-wg' },
      context: { decidingGroup: null },
    } as const;
    expect(budgetDecider.decide(command as never, budgetDecider.initialState())).toMatchObject({
      code: 'BUDGET_NOT_FOUND',
    });
    const state = fold(budgetDecider, [
      {
        type: 'BudgetOpened',
        data: {
          name: 'b',
          fiscalPeriod: { start: '2025-01-01', end: '2025-12-31' },
          currency: 'USD',
          budgetId: 'b1',
          execution: exec('o'),
          at: at(0),
        },
      },
    ]);
    expect(budgetDecider.decide(command as never, state)).toMatchObject({ code: 'CONTEXT_MISMATCH' });
    const lines = Array.from(
      { length: 3 },
      (_, index): BudgetEvent => ({
        type: 'BudgetLineAllocationChanged',
        data: {
          lineId: 'x',
          delta: MONEY_CEILING,
          budgetId: 'b1',
          execution: exec(`p${index}`),
          decidedByGroupId: 'g',
          at: at(1),
        },
      }),
    );
    const created: BudgetEvent = {
      type: 'BudgetLineCreated',
      data: {
        lineId: 'x',
        name: 'X',
        category: 'other',
        stewardGroupId: 'g',
        partnerOrganizationIds: [],
        allocated: 0,
        budgetId: 'b1',
        execution: exec('c'),
        // Creating a line moves no money, whoever decided it.
        decidedByGroupId: 'g',
        at: at(0),
      },
    };
    const down = (index: number): BudgetEvent => ({
      type: 'BudgetLineAllocationChanged',
      data: {
        lineId: 'x',
        delta: -MONEY_CEILING,
        budgetId: 'b1',
        execution: exec(`d${index}`),
        decidedByGroupId: 'g',
        at: at(1),
      },
    });
    const moved = fold(budgetDecider, [created, lines[0]!, down(0), lines[1]!, down(1)], state);
    expect(budgetFacts(moved)?.groupMoves.g?.x).toBe(MONEY_CEILING + 1);
  });
});
