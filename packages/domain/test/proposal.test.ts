import { describe, expect, it } from 'vitest';
import {
  decideOn,
  fold,
  outcomeOf,
  type ProposalCommand,
  type ProposalEvent,
  type ProposalPayload,
  proposalDecider,
  type Stance,
} from '../src/index.ts';
import {
  context,
  interpretersExpense,
  largeGrantsIncrease,
  sharedValuesChange,
  smallGrantsIncrease,
} from './support/coalition.ts';
import { at, auditor, exec, facilitator, fastRules, rep, system } from './support/fixtures.ts';
import {
  commentedEvent,
  decidedEvent,
  draftedEvent,
  openedEvent,
  proposalId,
} from './support/proposal-events.ts';
import { specification } from './support/spec.ts';

const spec = specification(proposalDecider);
const proposer = rep('o1', 'amal');
const toGroup = {
  decidingBody: { type: 'workingGroup', groupId: 'grants-wg' },
  reason: 'withinMandate',
  lineId: null,
} as const;

const drafted = draftedEvent;
const opened = (overrides: Parameters<typeof openedEvent>[0] = {}) =>
  openedEvent({ routing: toGroup, ...overrides });
const stance = (organizationId: string, taken: Stance, revision = 1, round: 1 | 2 = 1): ProposalEvent => ({
  type: 'StanceTaken',
  data: {
    proposalId,
    organizationId,
    personId: `${organizationId}-person`,
    stance: taken,
    reason: taken === 'consent' ? null : 'Because',
    revision,
    round,
    at: at(2),
  },
});
const amended = (revision: number, payload: ProposalPayload = smallGrantsIncrease): ProposalEvent => ({
  type: 'ProposalAmended',
  data: {
    proposalId,
    revision,
    title: 'More for grants (amended)',
    body: 'Demand is high this year.',
    payload,
    attachments: [],
    routing: null,
    recusals: null,
    amendedBy: 'amal',
    reason: null,
    at: at(3),
  },
});
const decided = (outcome: 'adopted' | 'notAdopted' = 'adopted') =>
  decidedEvent(outcome, { decidingBody: toGroup.decidingBody });
const open = [drafted(), opened()];

function command<T extends ProposalCommand['type']>(
  type: T,
  fields: Omit<Extract<ProposalCommand, { type: T }>, 'type' | 'actor' | 'now' | 'proposalId'>,
  actor = proposer,
  now = at(3),
): ProposalCommand {
  return { type, actor, now, proposalId, ...fields } as ProposalCommand;
}

describe('DraftProposal', () => {
  const draft = command(
    'DraftProposal',
    {
      title: 'More for grants',
      body: 'Demand is high this year.',
      payload: smallGrantsIncrease,
      attachments: [],
    },
    proposer,
    at(0),
  );
  it('records a draft by a representative', () => {
    spec.given([]).when(draft).then([drafted()]);
  });
  it('lets a facilitator propose like anyone else', () => {
    spec
      .given([])
      .when({ ...draft, actor: facilitator })
      .then([
        {
          ...drafted(),
          data: { ...drafted().data, proposer: { personId: 'facilitator-1', organizationId: null } },
        },
      ] as ProposalEvent[]);
  });
  it('is refused to an auditor and to a process step', () => {
    spec
      .given([])
      .when({ ...draft, actor: auditor })
      .thenRejects('AUDITOR_READ_ONLY');
    spec
      .given([])
      .when({ ...draft, actor: system })
      .thenRejects('PEOPLE_ONLY');
  });
  it('refuses an id already used and money that is not whole minor units', () => {
    spec.given([drafted()]).when(draft).thenRejects('PROPOSAL_EXISTS');
    const fractional = {
      ...smallGrantsIncrease,
      changes: [{ op: 'allocate', lineId: 'grants', delta: 0.5 }],
    };
    spec
      .given([])
      .when({ ...draft, payload: fractional } as ProposalCommand)
      .thenRejects('INVALID_COMMAND');
  });
});

describe('OpenProposal', () => {
  const openIt = command('OpenProposal', { urgentReason: null, context }, proposer, at(1));
  // What opening a draft records depends on what the draft does.
  it.each<[string, ProposalPayload, Parameters<typeof opened>[0]]>([
    ['computes and records the routing, the deciding body, recusals and the window', smallGrantsIncrease, {}],
    [
      'routes a change beyond the mandate to the full coalition, whoever proposes it',
      largeGrantsIncrease,
      {
        routing: { decidingBody: { type: 'coalition' }, reason: 'exceedsShareLimit', lineId: 'grants' },
        memberIds: ['o1', 'o2', 'o3', 'o4'],
      },
    ],
    [
      'recuses the partner of a line the proposal pays from',
      interpretersExpense,
      {
        routing: {
          decidingBody: { type: 'coalition' },
          reason: 'stewardedByCoalition',
          lineId: 'translation',
        },
        memberIds: ['o1', 'o2', 'o3', 'o4'],
        recusals: [{ organizationId: 'o3', reason: 'linePartner' }],
      },
    ],
  ])('%s', (_rule, payload, recorded) => {
    spec
      .given([drafted(payload)])
      .when(openIt)
      .then([opened(recorded)]);
  });
  it('takes the urgent path only when the charter has one', () => {
    spec
      .given([drafted()])
      .when({
        ...openIt,
        urgentReason: 'Flood response',
        context: { ...context, rules: fastRules },
      } as ProposalCommand)
      .then([opened({ rules: fastRules, urgentReason: 'Flood response', feedbackEndsAt: at(25) })]);
    spec
      .given([drafted()])
      .when({ ...openIt, urgentReason: 'Flood response' } as ProposalCommand)
      .thenRejects('URGENT_PATH_NOT_ALLOWED');
  });
  it('lets another representative of the proposing organization open it, nobody else', () => {
    spec
      .given([drafted()])
      .when({ ...openIt, actor: rep('o1', 'samir') })
      .then([opened({ openedBy: 'samir' })]);
    spec
      .given([drafted()])
      .when({ ...openIt, actor: rep('o2') })
      .thenRejects('NOT_THE_PROPOSER');
    spec
      .given([drafted()])
      .when({ ...openIt, actor: facilitator })
      .thenRejects('NOT_THE_PROPOSER');
  });
  it('refuses what could not be done with the facts as they are', () => {
    spec
      .given([drafted()])
      .when({ ...openIt, context: { ...context, budget: null } } as ProposalCommand)
      .thenRejects('BUDGET_NOT_FOUND');
  });
  it('refuses a proposal nobody could decide', () => {
    spec
      .given([drafted(interpretersExpense)])
      .when({ ...openIt, context: { ...context, coalitionMemberIds: ['o3'] } } as ProposalCommand)
      .thenRejects('NO_ELIGIBLE_DECIDERS');
  });
  it('opens only drafts, and only existing ones', () => {
    spec.given(open).when(openIt).thenRejects('PROPOSAL_NOT_DRAFT');
    spec.given([]).when(openIt).thenRejects('PROPOSAL_NOT_FOUND');
  });
});

describe('AmendProposal', () => {
  const amend = (payload: ProposalPayload = smallGrantsIncrease, withContext = false) =>
    command('AmendProposal', {
      title: 'More for grants (amended)',
      body: 'Demand is high this year.',
      payload,
      attachments: [],
      reason: null,
      context: withContext ? context : null,
    });
  it('revises a draft', () => {
    spec
      .given([drafted()])
      .when(amend())
      .then([amended(2)]);
  });
  it('puts every earlier stance back to "needs review" on an open proposal', () => {
    const history = [...open, stance('o1', 'consent'), stance('o2', 'consent')];
    spec
      .given(history)
      .when(amend())
      .then([amended(2)]);
    const outcome = outcomeOf(fold(proposalDecider, [...history, amended(2)]), at(300));
    expect(outcome).toMatchObject({
      status: 'open',
      reason: 'quorumNotMet',
      tally: { counted: 0, needsReview: 2 },
    });
  });
  it('checks a changed payload again and recomputes routing and recusals', () => {
    const payingPartner: ProposalPayload = {
      ...smallGrantsIncrease,
      changes: [
        { op: 'spend', lineId: 'grants', amount: 100_000, description: 'Audit', payeeOrganizationId: 'o2' },
      ],
    } as ProposalPayload;
    spec
      .given(open)
      .when(amend(payingPartner, true))
      .then([
        {
          type: 'ProposalAmended',
          data: {
            ...(amended(2, payingPartner).data as object),
            routing: toGroup,
            recusals: [{ organizationId: 'o2', reason: 'payee' }],
          },
        } as ProposalEvent,
      ]);
  });
  it('needs the current facts to change what an open proposal does', () => {
    const bigger = {
      ...smallGrantsIncrease,
      changes: [{ op: 'allocate', lineId: 'grants', delta: 450_000 }],
    } as ProposalPayload;
    spec.given(open).when(amend(bigger)).thenRejects('DECISION_FACTS_REQUIRED');
  });
  it('refuses an amendment that would change who decides', () => {
    spec.given(open).when(amend(largeGrantsIncrease, true)).thenRejects('AMENDMENT_WOULD_REROUTE');
  });
  it('refuses an amendment that could not be done, or that leaves nobody to decide', () => {
    const tooMuch = {
      ...smallGrantsIncrease,
      changes: [{ op: 'allocate', lineId: 'grants', delta: -10_000_001 }],
    } as ProposalPayload;
    spec.given(open).when(amend(tooMuch, true)).thenRejects('ALLOCATION_BELOW_USE');
    const payee = (organizationId: string): ProposalPayload =>
      ({
        ...interpretersExpense,
        changes: [
          {
            op: 'spend',
            lineId: 'translation',
            amount: 1,
            description: 'x',
            payeeOrganizationId: organizationId,
          },
        ],
      }) as ProposalPayload;
    const small = { ...context, coalitionMemberIds: ['o3', 'o4'] };
    const openedSmall = opened({
      routing: { decidingBody: { type: 'coalition' }, reason: 'stewardedByCoalition', lineId: 'translation' },
      memberIds: ['o3', 'o4'],
      recusals: [{ organizationId: 'o3', reason: 'linePartner' }],
    });
    spec
      .given([drafted(interpretersExpense), openedSmall])
      .when({
        ...amend(payee('o4')),
        context: { ...small, coalitionMemberIds: ['o3', 'o4', 'o5'] },
      } as ProposalCommand)
      .thenRejects('NO_ELIGIBLE_DECIDERS');
  });
  it('refuses a change of kind', () => {
    spec.given([drafted()]).when(amend(sharedValuesChange)).thenRejects('PROPOSAL_KIND_CHANGED');
  });
  it('is for the proposer only, and only before the decision', () => {
    spec
      .given([drafted()])
      .when({ ...amend(), actor: rep('o2') })
      .thenRejects('NOT_THE_PROPOSER');
    spec
      .given([...open, decided()])
      .when(amend())
      .thenRejects('PROPOSAL_NOT_EDITABLE');
    spec.given([]).when(amend()).thenRejects('PROPOSAL_NOT_FOUND');
    spec
      .given([drafted()])
      .when({ ...amend(), actor: auditor })
      .thenRejects('AUDITOR_READ_ONLY');
  });
});

describe('CommentOnProposal', () => {
  const comment = command(
    'CommentOnProposal',
    { commentId: 'c1', text: 'Which RLOs benefit?', attachments: [] },
    rep('o3'),
  );
  const commented = commentedEvent('o3', 3);
  it('lets any member comment, including one outside the deciding body or recused', () => {
    spec.given(open).when(comment).then([commented]);
    spec.given([drafted()]).when(comment).then([commented]);
  });
  it('lets a facilitator comment', () => {
    spec
      .given(open)
      .when({ ...comment, actor: facilitator })
      .then([
        { ...commented, data: { ...commented.data, personId: 'facilitator-1', organizationId: null } },
      ] as ProposalEvent[]);
  });
  it('refuses a duplicate comment, a decided proposal and an auditor', () => {
    spec
      .given([...open, commented])
      .when(comment)
      .thenRejects('COMMENT_EXISTS');
    spec
      .given([...open, decided()])
      .when(comment)
      .thenRejects('PROPOSAL_NOT_OPEN');
    spec
      .given(open)
      .when({ ...comment, actor: auditor })
      .thenRejects('AUDITOR_READ_ONLY');
  });
});

describe('TakeStance', () => {
  const take = (organizationId: string, taken: Stance, reason: string | null = null) =>
    command('TakeStance', { stance: taken, reason }, rep(organizationId));
  it("records an organization's stance on the current text", () => {
    spec
      .given(open)
      .when(take('o2', 'consent'))
      .then([
        { ...stance('o2', 'consent'), data: { ...stance('o2', 'consent').data, at: at(3) } },
      ] as ProposalEvent[]);
  });
  it('records a stance on the revision it was taken on, and in the current round', () => {
    const [event] = spec
      .given([...open, amended(2)])
      .when(take('o2', 'block', 'Harms our partners'))
      .then([
        {
          ...stance('o2', 'block', 2),
          data: { ...stance('o2', 'block', 2).data, reason: 'Harms our partners', at: at(3) },
        },
      ] as ProposalEvent[]);
    expect(event?.type).toBe('StanceTaken');
  });
  it('requires a reason for concerns, standing aside and blocking', () => {
    for (const taken of ['concerns', 'standAside', 'block'] as const) {
      spec.given(open).when(take('o2', taken)).thenRejects('REASON_REQUIRED', { stance: taken });
    }
    spec
      .given(open)
      .when(take('o2', 'block', '   '))
      .thenRejects('INVALID_COMMAND');
  });
  it('refuses an organization outside the deciding body', () => {
    spec.given(open).when(take('o3', 'consent')).thenRejects('NOT_IN_DECIDING_BODY');
  });
  it('refuses a recused organization', () => {
    const recused = [
      drafted(interpretersExpense),
      opened({ memberIds: ['o1', 'o2', 'o3'], recusals: [{ organizationId: 'o3', reason: 'linePartner' }] }),
    ];
    spec.given(recused).when(take('o3', 'consent')).thenRejects('RECUSED');
  });
  it('never lets a facilitator or a process step speak for an organization', () => {
    spec
      .given(open)
      .when({ ...take('o2', 'consent'), actor: facilitator })
      .thenRejects('FACILITATOR_NOT_ALLOWED');
    spec
      .given(open)
      .when({ ...take('o2', 'consent'), actor: system })
      .thenRejects('PEOPLE_ONLY');
  });
  it('takes stances only while open', () => {
    spec.given([drafted()]).when(take('o2', 'consent')).thenRejects('PROPOSAL_NOT_OPEN');
    spec
      .given([...open, decided()])
      .when(take('o2', 'consent'))
      .thenRejects('PROPOSAL_NOT_OPEN');
  });
});

describe('WithdrawProposal', () => {
  const withdraw = command('WithdrawProposal', { reason: 'Covered by another proposal' });
  const withdrawnBy = (personId: string): ProposalEvent => ({
    type: 'ProposalWithdrawn',
    data: { proposalId, reason: 'Covered by another proposal', withdrawnBy: personId, at: at(3) },
  });
  it('lets the proposer withdraw a draft or open proposal', () => {
    const withdrawn = withdrawnBy('amal');
    spec.given(open).when(withdraw).then([withdrawn]);
    expect(fold(proposalDecider, [...open, withdrawn]).status).toBe('withdrawn');
  });
  it('lets any representative of the proposing organization act for it', () => {
    spec
      .given(open)
      .when({ ...withdraw, actor: rep('o1', 'samir') })
      .then([withdrawnBy('samir')]);
  });
  it("judges the proposer by their organization now: one who moved to another organization can't", () => {
    spec
      .given(open)
      .when({ ...withdraw, actor: rep('o2', 'amal') })
      .thenRejects('NOT_THE_PROPOSER');
    const byFacilitator = drafted();
    const facilitatorDraft: ProposalEvent = {
      ...byFacilitator,
      data: { ...byFacilitator.data, proposer: { personId: 'facilitator-1', organizationId: null } },
    } as ProposalEvent;
    spec
      .given([facilitatorDraft])
      .when({ ...withdraw, actor: rep('o1', 'facilitator-1') })
      .thenRejects('NOT_THE_PROPOSER');
    spec
      .given([facilitatorDraft])
      .when({ ...withdraw, actor: facilitator })
      .then([withdrawnBy('facilitator-1')]);
  });
  it('refuses anyone else, and a decided proposal', () => {
    spec
      .given(open)
      .when({ ...withdraw, actor: rep('o2') })
      .thenRejects('NOT_THE_PROPOSER');
    spec
      .given([...open, decided()])
      .when(withdraw)
      .thenRejects('PROPOSAL_NOT_EDITABLE');
  });
});

describe('ScheduleDecision', () => {
  const schedule = command(
    'ScheduleDecision',
    { scheduledFor: at(170), reason: 'At the monthly call' },
    facilitator,
  );
  it('lets a facilitator schedule the decision after the window', () => {
    spec
      .given(open)
      .when(schedule)
      .then([
        {
          type: 'ProposalDecisionScheduled',
          data: {
            proposalId,
            scheduledFor: at(170),
            scheduledBy: 'facilitator-1',
            reason: 'At the monthly call',
            at: at(3),
          },
        },
      ]);
  });
  it('refuses a time in the past', () => {
    spec
      .given(open)
      .when({ ...schedule, now: at(200), scheduledFor: at(180) } as ProposalCommand)
      .thenRejects('SCHEDULED_TOO_EARLY');
  });
  it('refuses a time before the window ends', () => {
    spec
      .given(open)
      .when({ ...schedule, scheduledFor: at(100) } as ProposalCommand)
      .thenRejects('SCHEDULED_TOO_EARLY');
  });
  it('refuses a proposal that is not open', () => {
    spec.given([drafted()]).when(schedule).thenRejects('PROPOSAL_NOT_OPEN');
  });
});

describe('RemindUndecided', () => {
  const remind = (now = at(3), actor = facilitator) => command('RemindUndecided', {}, actor, now);
  const reminded = (organizationIds: string[], when = at(3)): ProposalEvent => ({
    type: 'UndecidedReminded',
    data: { proposalId, organizationIds, remindedBy: 'facilitator-1', at: when },
  });
  const ofThree = [
    drafted(interpretersExpense),
    opened({ memberIds: ['o1', 'o2', 'o3'], recusals: [{ organizationId: 'o3', reason: 'linePartner' }] }),
  ];
  it('reminds the organizations without a stance on the current text, recused ones excluded', () => {
    spec
      .given([...ofThree, stance('o1', 'consent')])
      .when(remind())
      .then([reminded(['o2'])]);
    spec
      .given([...ofThree, stance('o1', 'consent'), amended(2, interpretersExpense)])
      .when(remind())
      .then([reminded(['o1', 'o2'])]);
  });
  it('is refused when every organization has a stance on the current text', () => {
    spec
      .given([...ofThree, stance('o1', 'consent'), stance('o2', 'block')])
      .when(remind())
      .thenRejects('NOBODY_UNDECIDED');
  });
  it('is refused less than a day after the last reminder, and allowed again after', () => {
    const after = [...open, reminded(['o1', 'o2'], at(3))];
    spec
      .given(after)
      .when(remind(at(26)))
      .thenRejects('REMINDED_RECENTLY', { nextReminderAt: at(27) });
    spec
      .given(after)
      .when(remind(at(27)))
      .then([reminded(['o1', 'o2'], at(27))]);
  });
  it('is for a facilitator only, and only while open for feedback', () => {
    spec
      .given(open)
      .when(remind(at(3), proposer))
      .thenRejects('FACILITATOR_ONLY');
    spec
      .given(open)
      .when(remind(at(3), auditor))
      .thenRejects('AUDITOR_READ_ONLY');
    spec.given([drafted()]).when(remind()).thenRejects('PROPOSAL_NOT_OPEN');
    spec
      .given([...open, decided()])
      .when(remind(at(201)))
      .thenRejects('PROPOSAL_NOT_OPEN');
    spec.given([]).when(remind()).thenRejects('PROPOSAL_NOT_FOUND');
  });
});

describe('DecideProposal', () => {
  const decide = (now = at(200), actor = facilitator) => command('DecideProposal', {}, actor, now);
  it('adopts by consensus once the window has passed with a quorum and no block', () => {
    spec
      .given([...open, stance('o1', 'consent'), stance('o2', 'consent')])
      .when(decide())
      .then([decided()]);
  });
  it('is not adopted when blocked and the charter has no fallback', () => {
    spec
      .given([...open, stance('o1', 'consent'), stance('o2', 'block')])
      .when(decide())
      .then([
        {
          ...decided('notAdopted'),
          data: {
            ...decided('notAdopted').data,
            tally: {
              eligible: 2,
              quorumRequired: 2,
              counted: 2,
              consent: 1,
              concerns: 0,
              standAside: 0,
              block: 1,
              needsReview: 0,
            },
          },
        } as ProposalEvent,
      ]);
  });
  it('refuses to decide before the feedback window ends while anyone is silent or blocks', () => {
    spec
      .given([...open, stance('o1', 'consent')])
      .when(decide(at(100)))
      .thenRejects('FEEDBACK_WINDOW_OPEN', { feedbackEndsAt: at(169) });
    spec
      .given([...open, stance('o1', 'consent'), stance('o2', 'block')])
      .when(decide(at(100)))
      .thenRejects('FEEDBACK_WINDOW_OPEN', { feedbackEndsAt: at(169) });
  });
  it('decides before the window once every organization of the body has spoken and none blocks', () => {
    const decided = decideOn(decide(at(100)), [...open, stance('o1', 'consent'), stance('o2', 'standAside')]);
    expect(decided).toMatchObject([
      {
        type: 'ProposalDecided',
        data: { outcome: 'adopted', reason: 'everyoneHasSpoken', tally: { counted: 2, eligible: 2 } },
      },
    ]);
  });
  it('refuses to decide without a quorum', () => {
    spec
      .given([...open, stance('o1', 'consent')])
      .when(decide())
      .thenRejects('QUORUM_NOT_MET');
  });
  describe('with a block fallback in the charter', () => {
    const members = ['o1', 'o2', 'o3', 'o4'];
    const fallbackOpen = [
      drafted(largeGrantsIncrease),
      opened({ rules: fastRules, memberIds: members, feedbackEndsAt: at(73) }),
    ];
    const blocked = [
      stance('o1', 'consent'),
      stance('o2', 'consent'),
      stance('o3', 'consent'),
      stance('o4', 'block'),
    ];
    const tally = {
      eligible: 4,
      quorumRequired: 3,
      counted: 4,
      consent: 3,
      concerns: 0,
      standAside: 0,
      block: 1,
      needsReview: 0,
    };
    const secondRound: ProposalEvent = {
      type: 'ProposalSecondRoundStarted',
      data: { proposalId, feedbackEndsAt: at(272), tally, at: at(200) },
    };
    it('starts a second round with a new window when a block stands', () => {
      spec
        .given([...fallbackOpen, ...blocked])
        .when(decide())
        .then([secondRound]);
    });
    it('adopts in the second round with the supermajority despite the block', () => {
      spec
        .given([...fallbackOpen, ...blocked, secondRound])
        .when(decide(at(300)))
        .then([
          {
            type: 'ProposalDecided',
            data: {
              proposalId,
              outcome: 'adopted',
              reason: 'fallbackSupermajority',
              tally,
              decidingBody: toGroup.decidingBody,
              revision: 1,
              payload: largeGrantsIncrease,
              at: at(300),
            },
          },
        ]);
    });
    it('refuses to decide the second round before its own window ends', () => {
      spec
        .given([...fallbackOpen, ...blocked, secondRound])
        .when(decide(at(250)))
        .thenRejects('FEEDBACK_WINDOW_OPEN');
    });
  });
  it('lets a representative or a process step ask for the decision, never an auditor', () => {
    const history = [...open, stance('o1', 'consent'), stance('o2', 'consent')];
    spec
      .given(history)
      .when(decide(at(200), rep('o4')))
      .then([decided()]);
    spec
      .given(history)
      .when(decide(at(200), system))
      .then([decided()]);
    spec
      .given(history)
      .when(decide(at(200), auditor))
      .thenRejects('AUDITOR_READ_ONLY');
  });
  it('refuses a proposal that is not open', () => {
    spec.given([drafted()]).when(decide()).thenRejects('PROPOSAL_NOT_OPEN');
    spec
      .given([...open, decided()])
      .when(decide())
      .thenRejects('PROPOSAL_NOT_OPEN');
  });
});

describe('RecordProposalExecution and RecordExecutionFailure', () => {
  const record = command('RecordProposalExecution', { execution: exec(proposalId) }, system);
  const fail = command(
    'RecordExecutionFailure',
    { execution: exec(proposalId), failure: { code: 'INSUFFICIENT_FUNDS', message: 'Not enough money.' } },
    system,
  );
  const executed: ProposalEvent = {
    type: 'ProposalExecuted',
    data: { proposalId, decisionEventId: 'decided-p1', at: at(3) },
  };
  const failed: ProposalEvent = {
    type: 'ProposalExecutionFailed',
    data: {
      proposalId,
      decisionEventId: 'decided-p1',
      failure: { code: 'INSUFFICIENT_FUNDS', message: 'Not enough money.' },
      at: at(3),
    },
  };
  // Either record ends the execution: once recorded, the decision is not executed again.
  it.each([
    ['the execution of an adopted proposal', record, executed, 'executed'],
    ['a refused execution', fail, failed, 'executionFailed'],
  ] as const)('records %s, once', (_what, when, recorded, status) => {
    spec
      .given([...open, decided()])
      .when(when)
      .then([recorded]);
    spec
      .given([...open, decided(), recorded])
      .when(record)
      .thenRejects('DECISION_ALREADY_EXECUTED');
    expect(fold(proposalDecider, [...open, decided(), recorded]).status).toBe(status);
  });
  it('refuses a proposal that was not adopted, and a reference to another decision', () => {
    spec
      .given([...open, decided('notAdopted')])
      .when(record)
      .thenRejects('PROPOSAL_NOT_ADOPTED');
    spec
      .given([...open, decided()])
      .when({ ...record, execution: exec('p2') } as ProposalCommand)
      .thenRejects('CONTEXT_MISMATCH');
  });
  it('is a process step, never a person', () => {
    spec
      .given([...open, decided()])
      .when({ ...record, actor: facilitator })
      .thenRejects('DECISION_EXECUTION_ONLY');
  });
});

describe('outcomeOf', () => {
  it('shows nothing before the proposal opens, and the live outcome afterwards', () => {
    expect(outcomeOf(fold(proposalDecider, [drafted()]), at(10))).toBeNull();
    expect(outcomeOf(fold(proposalDecider, [...open, stance('o1', 'consent')]), at(10))).toMatchObject({
      status: 'open',
      reason: 'feedbackWindowOpen',
      tally: { counted: 1, quorumRequired: 2 },
    });
  });
});
